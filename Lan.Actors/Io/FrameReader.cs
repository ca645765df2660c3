using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Protocol;

namespace Lan.Actors.Io;

/// <summary>Packets decoded from one socket read, told to the connection actor.</summary>
internal sealed record PacketsRead(List<Packet> Packets, int Bytes) : IDeadLetterSuppression;

/// <summary>The stream ended; <paramref name="Error"/> says how, null for a clean end between frames.</summary>
internal sealed record ReadEnded(Exception? Error) : IDeadLetterSuppression;

/// <summary>
/// The read side of a connection, outside the actor as Akka.IO's socket completions are: it reads into
/// one pooled buffer, decodes every whole frame with <see cref="FrameDecoder"/>, tells the batch to the
/// actor, and reads again only when the actor hands back a credit. So at most one batch waits for the
/// handler, and a slow handler makes TCP itself slow the sender.
/// </summary>
internal sealed class FrameReader
{
    private const int BufferSize = 64 * 1024;
    private readonly Socket _socket;
    private readonly FrameDecoder _decoder;
    private readonly IActorRef _connection;
    private readonly Channel<bool> _credits = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true });
    private long _midFrameSince;
    private long _lastBytes;
    private volatile bool _paused;

    public FrameReader(Socket socket, ProtocolSettings protocol, IActorRef connection)
    {
        _socket = socket;
        _decoder = new FrameDecoder(protocol);
        _connection = connection;
        _lastBytes = Environment.TickCount64;
    }

    /// <summary>Milliseconds (Environment.TickCount64) since a frame was started and not finished; null between frames.</summary>
    public long? MidFrameSince => Volatile.Read(ref _midFrameSince) is var since and not 0 ? since : null;

    /// <summary>When the last bytes arrived (Environment.TickCount64).</summary>
    public long LastBytes => Volatile.Read(ref _lastBytes);

    /// <summary>True while the reader waits for the handler: silence and a half-read frame are then this side's doing, not the peer's.</summary>
    public bool IsPaused => _paused;

    /// <summary>Lets the reader read the next batch.</summary>
    public void Grant() => _credits.Writer.TryWrite(true);

    /// <summary>Ends the read loop; the owner closes the socket.</summary>
    public void Stop() => _credits.Writer.TryComplete();

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
                await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                List<Packet>? batch = null;
                int read;
                try
                {
                    prefix.AsSpan(0, kept).CopyTo(buffer);
                    read = await _socket.ReceiveAsync(buffer.AsMemory(kept), SocketFlags.None).ConfigureAwait(false);
                    var bytes = new ReadOnlySequence<byte>(buffer, 0, kept + read);
                    if (read == 0)
                    {
                        _decoder.Complete(bytes);
                        _connection.Tell(new ReadEnded(null), ActorRefs.NoSender);
                        return;
                    }

                    Volatile.Write(ref _lastBytes, Environment.TickCount64);
                    while (_decoder.TryDecode(ref bytes, out var packet))
                    {
                        (batch ??= []).Add(packet);
                    }

                    kept = (int)bytes.Length;
                    bytes.CopyTo(prefix);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                MarkFrameProgress(midFrame: _decoder.IsMidFrame || kept > 0, finishedOne: batch is not null);
                if (batch is not null)
                {
                    _paused = true;
                    _connection.Tell(new PacketsRead(batch, read), ActorRefs.NoSender);
                    if (!await _credits.Reader.WaitToReadAsync().ConfigureAwait(false))
                    {
                        return;
                    }

                    _credits.Reader.TryRead(out _);
                    // The peer's clocks start again from now: the wait was ours.
                    var now = Environment.TickCount64;
                    Volatile.Write(ref _lastBytes, now);
                    if (Volatile.Read(ref _midFrameSince) != 0)
                    {
                        Volatile.Write(ref _midFrameSince, now);
                    }

                    _paused = false;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or ProtocolException or OutOfMemoryException)
        {
            _connection.Tell(new ReadEnded(e), ActorRefs.NoSender);
        }
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
            Volatile.Write(ref _midFrameSince, Environment.TickCount64);
        }
    }
}
