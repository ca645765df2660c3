using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Protocol;
using Lan.Actors.Metrics;

namespace Lan.Actors.Io;

/// <summary>Packets decoded from one socket read, told to the connection actor.</summary>
internal sealed record PacketsRead(List<Packet> Packets) : IDeadLetterSuppression;

/// <summary>The stream ended; <paramref name="Error"/> says how, null for a clean end between frames.</summary>
internal sealed record ReadEnded(Exception? Error) : IDeadLetterSuppression;

/// <summary>
/// The read side of a connection, outside the actor as Akka.IO's socket completions are: it reads into
/// one pooled buffer, decodes every whole frame with <see cref="FrameDecoder"/> and tells the batch to the
/// actor. Once <c>maxUndelivered</c> packets wait to be given to the handler it stops reading until the
/// actor hands some back, so a slow connection makes TCP itself slow the sender.
/// </summary>
internal sealed class FrameReader
{
    private const int BufferSize = 64 * 1024;
    private readonly ByteLink _link;
    private readonly FrameDecoder _decoder;
    private readonly IActorRef _connection;
    // A signal, not a queue: one pending wake-up is all the paused loop needs (it re-counts what is undelivered), and
    // a connection that never pauses must not keep one per read for as long as it lives.
    private readonly Channel<bool> _credits = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private long _midFrameSince;
    private long _lastBytes;
    private long _bytesRead;
    private readonly LanClock _clock;
    private readonly int _maxUndelivered;
    private int _undelivered;
    private int _lastBatch = 4;
    private volatile bool _paused;
    private readonly ReceiveBudget? _budget;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _held;

    /// <param name="link">The connection's bytes (the socket, or TLS over it); the reader only reads them.</param>
    /// <param name="protocol">The limits the decoder enforces.</param>
    /// <param name="connection">The actor told every batch and the end of the stream.</param>
    /// <param name="maxUndelivered">Packets read and not yet given to the handler past which reading pauses; 1 pauses after every batch.</param>
    /// <param name="clock">The clock deadlines are measured on.</param>
    /// <param name="budget">The node's budget for unfinished frames; null for none (a client's few connections).</param>
    public FrameReader(ByteLink link, ProtocolSettings protocol, IActorRef connection, int maxUndelivered, LanClock clock, ReceiveBudget? budget = null)
    {
        _budget = budget;
        _clock = clock;
        _maxUndelivered = maxUndelivered;
        _link = link;
        _decoder = new FrameDecoder(protocol);
        _connection = connection;
        _lastBytes = clock.Now;
    }

    /// <summary>When (on the <see cref="LanClock"/>) a frame was started and not finished; null between frames.</summary>
    public long? MidFrameSince => Volatile.Read(ref _midFrameSince) is var since and not 0 ? since : null;

    /// <summary>Every byte read from the socket so far, whether or not it finished a frame.</summary>
    public long BytesRead => Volatile.Read(ref _bytesRead);

    /// <summary>When the last bytes arrived, on the <see cref="LanClock"/>.</summary>
    public long LastBytes => Volatile.Read(ref _lastBytes);

    /// <summary>True while the reader waits for the handler: silence and a half-read frame are then this side's doing, not the peer's.</summary>
    public bool IsPaused => _paused;

    /// <summary>The actor has given <paramref name="packets"/> packets to the handler (or dropped them).</summary>
    public void Delivered(int packets)
    {
        Interlocked.Add(ref _undelivered, -packets);
        _credits.Writer.TryWrite(true);
    }

    /// <summary>Wake-ups waiting for the read loop (a spec's view of the signal's bound).</summary>
    internal int PendingWakeUps => _credits.Reader.Count;

    /// <summary>Ends the read loop; the owner closes the socket.</summary>
    public void Stop()
    {
        _credits.Writer.TryComplete();
        _stopped.TrySetResult();
    }

    public void Start() => _ = RunAsync();

    private async Task RunAsync()
    {
        // The decoder leaves at most the first bytes of a length prefix unconsumed; they wait here between reads.
        var prefix = new byte[FrameEncoder.PrefixLength];
        var kept = 0;
        try
        {
            while (true)
            {
                // A zero-byte read waits for data without holding a buffer, so an idle connection holds none.
                await _link.WaitForBytesAsync().ConfigureAwait(false);
                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                List<Packet>? batch = null;
                int read;
                try
                {
                    prefix.AsSpan(0, kept).CopyTo(buffer);
                    read = await _link.ReadAsync(buffer.AsMemory(kept)).ConfigureAwait(false);
                    if (read == 0)
                    {
                        _decoder.Complete(new ReadOnlySequence<byte>(buffer, 0, kept));
                        _connection.Tell(new ReadEnded(null), ActorRefs.NoSender);
                        return;
                    }

                    Volatile.Write(ref _lastBytes, _clock.Now);
                    // Counted here, not per batch: most reads of a large frame finish none.
                    Volatile.Write(ref _bytesRead, _bytesRead + read);
                    LanMetrics.Bytes.Add(read, LanMetrics.Receive);
                    // Whole frames straight from the buffer; a frame cut by the end of the read goes the general way.
                    var whole = 0;
                    int used;
                    while (_decoder.TryDecodeWhole(buffer.AsSpan(whole, kept + read - whole), out used, out var packet))
                    {
                        (batch ??= new List<Packet>(_lastBatch)).Add(packet);
                        whole += used;
                    }

                    // A frame whose content is still arriving has had its prefix and JSON taken.
                    whole += used;

                    var bytes = new ReadOnlySequence<byte>(buffer, whole, kept + read - whole);
                    while (_decoder.TryDecode(ref bytes, out var packet))
                    {
                        (batch ??= new List<Packet>(_lastBatch)).Add(packet);
                    }

                    // The next read is likely alike: its list starts at this one's size, not growing from 4.
                    _lastBatch = Math.Clamp(batch?.Count ?? 0, 4, 1024);

                    kept = (int)bytes.Length;
                    bytes.CopyTo(prefix);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                MarkFrameProgress(midFrame: _decoder.IsMidFrame || kept > 0, finishedOne: batch is not null);
                if (batch is not null && !await HandOverAsync(batch).ConfigureAwait(false))
                {
                    return;
                }

                if (!await WithinBudgetAsync().ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or ProtocolException or OutOfMemoryException)
        {
            _connection.Tell(new ReadEnded(e), ActorRefs.NoSender);
        }
        finally
        {
            // What this connection held goes back to the node, however the loop ended.
            _budget?.Update(_held, 0);
            _held = 0;
        }
    }

    /// <summary>
    /// Counts what the unfinished frame holds against the node's budget and, while the budget is spent and this reader
    /// holds its share, waits for memory to come back (the frame deadline runs on meanwhile); false once stopped.
    /// </summary>
    private async Task<bool> WithinBudgetAsync()
    {
        if (_budget is not { } budget)
        {
            return true;
        }

        var held = _decoder.HeldBytes;
        budget.Update(_held, held);
        _held = held;
        while (true)
        {
            var freed = budget.Freed;
            if (!budget.MustWait(_held))
            {
                return true;
            }

            // Stryker disable once Boolean : equivalent: the continuation has no context to return to either way
            await Task.WhenAny(freed, _stopped.Task).ConfigureAwait(false);
            if (_stopped.Task.IsCompleted)
            {
                return false;
            }
        }
    }

    /// <summary>Tells the batch to the actor and waits while too many packets are undelivered; false once stopped.</summary>
    private async Task<bool> HandOverAsync(List<Packet> batch)
    {
        // Counted before the actor can hand any back, so the count never dips below what is really undelivered.
        var undelivered = Interlocked.Add(ref _undelivered, batch.Count);
        _connection.Tell(new PacketsRead(batch), ActorRefs.NoSender);
        if (undelivered < _maxUndelivered)
        {
            return true;
        }

        _paused = true;
        while (Volatile.Read(ref _undelivered) >= _maxUndelivered)
        {
            // Stryker disable once Boolean : equivalent: the continuation has no context to return to either way
            if (!await _credits.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                return false;
            }

            while (_credits.Reader.TryRead(out _))
            {
            }
        }

        // The peer's clocks start again from now: the wait was ours.
        var now = _clock.Now;
        Volatile.Write(ref _lastBytes, now);
        if (Volatile.Read(ref _midFrameSince) != 0)
        {
            Volatile.Write(ref _midFrameSince, now);
        }

        _paused = false;
        return true;
    }

    private void MarkFrameProgress(bool midFrame, bool finishedOne)
    {
        if (!midFrame)
        {
            Volatile.Write(ref _midFrameSince, 0);
        }
        else if (finishedOne || Volatile.Read(ref _midFrameSince) == 0)
        {
            // A frame that completed restarts the clock for the one now under way.
            Volatile.Write(ref _midFrameSince, _clock.Now);
        }
    }
}
