using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Lan.Actors.TestKit;

/// <summary>
/// One direction of one link. A reader takes chunks from the sender as fast as they come and stamps them; a
/// writer forwards them one by one, in order, under the faults of the moment. Splitting the two is what lets a
/// latency delay chunks without slowing the reading, and a blackhole swallow bytes while the sender sees a
/// healthy connection.
/// </summary>
internal sealed class ChaosPipe
{
    private const int ReadSize = 16 * 1024;

    // Enough chunks in flight for a latency not to throttle a spec's traffic, few enough that a flooding
    // sender is held back by TCP flow control rather than by the proxy's memory.
    private const int ChunksInFlight = 256;

    private readonly ChaosLink _link;
    private readonly ChaosDirection _direction;
    private readonly Socket _source;
    private readonly Socket _target;
    private readonly Channel<Chunk> _chunks = Channel.CreateBounded<Chunk>(
        new BoundedChannelOptions(ChunksInFlight) { SingleReader = true, SingleWriter = true });

    private readonly Random _jitter;
    private readonly Dictionary<int, long> _closeBudgets = [];
    private long _paceNext;
    private Exception? _sourceFailure;

    public ChaosPipe(ChaosLink link, ChaosDirection direction, Socket source, Socket target)
    {
        _link = link;
        _direction = direction;
        _source = source;
        _target = target;
        _jitter = ChaosDice.Jitter(link.Proxy.Seed, link.Id, direction.Index);
    }

    public Task RunAsync() => Task.WhenAll(ReadAsync(), WriteAsync());

    private async Task ReadAsync()
    {
        var buffer = new byte[ReadSize];
        try
        {
            while (true)
            {
                var read = await _source.ReceiveAsync(buffer, SocketFlags.None, _link.Draining);
                if (read == 0)
                {
                    return;
                }

                if (_link.Forwarding.IsCancellationRequested)
                {
                    // Closing: read on and drop, so that unread bytes do not turn the orderly close into a reset.
                    continue;
                }

                try
                {
                    await _chunks.Writer.WriteAsync(new Chunk(buffer.AsSpan(0, read).ToArray(), Stopwatch.GetTimestamp()), _link.Forwarding);
                }
                catch (OperationCanceledException) when (!_link.Draining.IsCancellationRequested)
                {
                    // The link began closing while this chunk waited for room; keep draining.
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            _sourceFailure = e;
        }
        finally
        {
            _chunks.Writer.TryComplete();
        }
    }

    private async Task WriteAsync()
    {
        try
        {
            while (await _chunks.Reader.WaitToReadAsync(_link.Forwarding))
            {
                while (_chunks.Reader.TryRead(out var chunk))
                {
                    if (!await ForwardAsync(chunk, _link.Forwarding))
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The receiver vanished: the sender learns it the way it would without a proxy, by a reset.
            _link.Close(CloseKind.Reset, $"{_direction.Name} receiver failed: {e.Message}");
            return;
        }

        if (_link.IsClosing)
        {
            return;
        }

        var blackhole = Chosen().FirstOrDefault(fault => fault.Fault is BlackholeFault);
        if (blackhole is not null)
        {
            // A half-open link carries no end either; the receiver keeps waiting, as it would for a dead host.
            _link.Proxy.Log($"link {_link.Id}: {_direction.Name} ended into the blackhole #{blackhole.Id}; not passed on");
            return;
        }

        if (_sourceFailure is null)
        {
            _link.EndDirection(_target, _direction.Name);
        }
        else
        {
            _link.Close(CloseKind.Reset, $"{_direction.Name} sender failed: {_sourceFailure.Message}");
        }
    }

    /// <summary>Forwards one chunk under the faults chosen for this link; false once a close fault ended the link.</summary>
    private async Task<bool> ForwardAsync(Chunk chunk, CancellationToken forwarding)
    {
        var faults = Chosen();
        if (faults.FirstOrDefault(fault => fault.Fault is BlackholeFault) is { } blackhole)
        {
            blackhole.CountApplied(chunk.Bytes.Length);
            return true;
        }

        var latencies = faults.Where(fault => fault.Fault is LatencyFault).ToList();
        if (latencies.Count > 0)
        {
            var delay = latencies.Aggregate(TimeSpan.Zero, (sum, fault) => sum + Jittered((LatencyFault)fault.Fault));
            // Counted from when the chunk was read, so time spent behind earlier chunks is part of its delay.
            await DelayUntil(chunk.ReadAt + (long)(delay.TotalSeconds * Stopwatch.Frequency), forwarding);
            foreach (var latency in latencies)
            {
                latency.CountApplied(1);
            }
        }

        var length = chunk.Bytes.Length;
        InjectedFault? closer = null;
        foreach (var fault in faults)
        {
            if (fault.Fault is CloseFault close)
            {
                var left = _closeBudgets.TryGetValue(fault.Id, out var budget) ? budget : close.AfterBytes;
                if (left <= length)
                {
                    closer = fault;
                    length = (int)left;
                }
            }
        }

        await SendAsync(chunk.Bytes.AsMemory(0, length), faults, forwarding);
        foreach (var fault in faults)
        {
            if (fault.Fault is CloseFault close)
            {
                var left = _closeBudgets.TryGetValue(fault.Id, out var budget) ? budget : close.AfterBytes;
                _closeBudgets[fault.Id] = left - length;
            }
        }

        if (closer is null)
        {
            return true;
        }

        var kind = ((CloseFault)closer.Fault).Kind;
        if (_link.Close(kind, $"{_direction.Name} #{closer.Id} {closer.Fault} after {((CloseFault)closer.Fault).AfterBytes} bytes"))
        {
            closer.CountApplied(1);
        }

        return false;
    }

    /// <summary>Writes bytes to the receiver, cut into slices and paced as the slice and bandwidth faults ask.</summary>
    private async Task SendAsync(ReadOnlyMemory<byte> bytes, List<InjectedFault> faults, CancellationToken forwarding)
    {
        var slice = faults.FirstOrDefault(fault => fault.Fault is SliceFault);
        var sliceFault = slice?.Fault as SliceFault;
        // With two bandwidth limits, the tighter one is the one in force.
        var bandwidth = faults.Where(fault => fault.Fault is BandwidthFault).MinBy(fault => ((BandwidthFault)fault.Fault).BytesPerSecond);
        var rate = (bandwidth?.Fault as BandwidthFault)?.BytesPerSecond;
        var piece = sliceFault?.MaxBytes ?? int.MaxValue;
        if (rate is { } perSecond)
        {
            // A twentieth of a second's worth at most, so that the pace is even rather than one burst per second.
            piece = (int)Math.Min(piece, Math.Max(1, perSecond / 20));
        }

        for (var offset = 0; offset < bytes.Length;)
        {
            var size = Math.Min(piece, bytes.Length - offset);
            if (rate is { } limit)
            {
                var start = Math.Max(_paceNext, Stopwatch.GetTimestamp());
                await DelayUntil(start, forwarding);
                _paceNext = start + (size * Stopwatch.Frequency / limit);
            }

            await SendAllAsync(bytes.Slice(offset, size), forwarding);
            _direction.CountForwarded(size);
            bandwidth?.CountApplied(size);
            offset += size;
            if (slice is not null)
            {
                slice.CountApplied(1);
                if (offset < bytes.Length && sliceFault!.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(sliceFault.Delay, forwarding);
                }
            }
        }
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> bytes, CancellationToken forwarding)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _target.SendAsync(bytes, SocketFlags.None, forwarding);
            bytes = bytes[sent..];
        }
    }

    /// <summary>The faults in force now that this link's toxicity rolls chose, in the order they were added.</summary>
    private List<InjectedFault> Chosen() => [.. _direction.Faults.Where(_link.Chooses)];

    private TimeSpan Jittered(LatencyFault latency) =>
        latency.Latency + ((2 * _jitter.NextDouble()) - 1) * latency.Jitter;

    private static async Task DelayUntil(long timestamp, CancellationToken forwarding)
    {
        var now = Stopwatch.GetTimestamp();
        if (timestamp > now)
        {
            await Task.Delay(Stopwatch.GetElapsedTime(now, timestamp), forwarding);
        }
    }

    private readonly record struct Chunk(byte[] Bytes, long ReadAt);
}
