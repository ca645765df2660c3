using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Benchmarks.Tcp;

/// <summary>
/// The ceiling: an echo server on plain sockets with the same framing (4-byte big-endian length, then the
/// frame), which reads in large chunks and sends back every whole frame of a read in one send. It decodes
/// nothing, allocates nothing per frame, and has no actors; a naive one that wrote once per frame would be
/// several times slower pipelined and flatter what is measured against it.
/// With <c>codec</c> it is the yardstick for the rest: every frame is decoded with <see cref="FrameDecoder"/> and the
/// packets sent back through the connection's own send queue, but with no actors at all, so
/// the load table shows what the codec costs apart from what the actors cost.
/// </summary>
internal sealed class RawEchoServer : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _accepted = [];
    private readonly bool _codec;

    public RawEchoServer(bool codec = false)
    {
        _codec = codec;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        _ = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public void Dispose()
    {
        _listener.Dispose();
        lock (_accepted)
        {
            _accepted.ForEach(socket => socket.Dispose());
        }
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync().ConfigureAwait(false);
                socket.NoDelay = true;
                lock (_accepted)
                {
                    _accepted.Add(socket);
                }

                _ = EchoAsync(socket, _codec ? new FrameDecoder() : null);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Disposed: the run is over.
        }
    }

    private static async Task EchoAsync(Socket socket, FrameDecoder? decoder)
    {
        var packets = new List<Packet>();
        var outbox = new Outbox(ProtocolSettings.Default);
        var buffer = new byte[256 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                var complete = 0;
                while (filled - complete >= 4)
                {
                    var length = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(complete));
                    if (filled - complete - 4 < length)
                    {
                        break;
                    }

                    if (decoder is not null)
                    {
                        // Like the raw server, this one frames by the length prefix alone: frames without content, as the load sends.
                        packets.Add(decoder.TryDecodeWhole(buffer.AsSpan(complete, 4 + length), out _, out var packet)
                            ? packet
                            : throw new InvalidOperationException("the codec-alone echo server takes only whole frames without content"));
                    }

                    complete += 4 + length;
                }

                if (complete > 0)
                {
                    await (decoder is null ? SendAllAsync(socket, buffer.AsMemory(0, complete)) : EncodeAndSendAsync(socket, packets, outbox)).ConfigureAwait(false);

                    buffer.AsSpan(complete, filled - complete).CopyTo(buffer);
                    filled -= complete;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client went away.
        }
        catch (Exception e) when (e is ProtocolException or InvalidOperationException)
        {
            // A frame this yardstick cannot echo: closing makes the load client fail loudly instead of waiting for it.
            Console.Error.WriteLine($"codec-alone echo server: {e.Message}");
            socket.Dispose();
        }
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes)
    {
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await socket.SendAsync(bytes[sent..], SocketFlags.None).ConfigureAwait(false);
        }
    }

    // The connection's own send queue: each packet checked against the peer's limits, the frames written back to back
    // into a pooled buffer, one send.
    private static async Task EncodeAndSendAsync(Socket socket, List<Packet> packets, Outbox outbox)
    {
        foreach (var packet in packets)
        {
            if (outbox.TryEnqueue(packet, int.MaxValue, long.MaxValue) is { } refused)
            {
                throw new InvalidOperationException($"the send queue refused an echoed {packet.Type}: {refused}");
            }
        }

        packets.Clear();
        while (outbox.HasPending)
        {
            var bytes = outbox.EncodeBatch();
            try
            {
                await SendAllAsync(socket, bytes).ConfigureAwait(false);
            }
            catch
            {
                outbox.Release();
                throw;
            }

            outbox.Sent(bytes.Length);
        }
    }
}
