using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Io;

/// <summary>
/// A peer on a plain socket, for injecting what a well-behaved node never does: resets, half frames,
/// bad bytes, silence. Reads give up after <see cref="ReadLimit"/> so that a broken server fails the spec
/// instead of hanging it.
/// </summary>
internal sealed class RawPeer : IDisposable
{
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(10);
    private readonly FrameDecoder _decoder = new();
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _filled;

    private RawPeer(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    /// <summary>Connects to <paramref name="server"/>, from <paramref name="from"/> (another loopback address, say) when given.</summary>
    public static async Task<RawPeer> ConnectAsync(IPEndPoint server, IPAddress? from = null)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        await socket.ConnectAsync(server);
        return new RawPeer(socket);
    }

    /// <summary>
    /// True when a server past one of its limits resets a new connection at once. The kernel completes the handshake
    /// before the listener sees the socket, so the reset reaches the client while its connect completes or at its first read.
    /// </summary>
    public static async Task<bool> IsResetAtOnceAsync(IPEndPoint server, IPAddress? from = null)
    {
        try
        {
            using var refused = await ConnectAsync(server, from);
            return await refused.ReadAsync() is null;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    /// <summary>
    /// Starts a frame of a BLOB announcing <paramref name="contentLength"/> bytes of content and sends only the first
    /// <paramref name="sent"/> of them (as fast as the other side reads): the start of an attack that holds memory.
    /// </summary>
    public static async Task SendUnfinishedFrameAsync(Socket socket, int contentLength, int sent, CancellationToken stop)
    {
        var json = System.Text.Encoding.UTF8.GetBytes($$"""{"TYPE":"BLOB","CL":{{contentLength}}}""");
        var head = new byte[FrameEncoder.PrefixLength + json.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(head, json.Length);
        json.CopyTo(head, FrameEncoder.PrefixLength);
        await socket.SendAsync(head, SocketFlags.None, stop);
        var chunk = new byte[64 * 1024];
        for (var done = 0; done < sent; done += chunk.Length)
        {
            await socket.SendAsync(chunk, SocketFlags.None, stop);
        }
    }

    public static byte[] Frame(params Packet[] packets)
    {
        var writer = new ArrayBufferWriter<byte>();
        new FrameEncoder().Write(packets, writer);
        return writer.WrittenSpan.ToArray();
    }

    public static Packet Message(string text) => Packet.From(new TextMessage(text));

    public Task SendAsync(params Packet[] packets) => SendBytesAsync(Frame(packets));

    public async Task SendBytesAsync(byte[] bytes)
    {
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await Socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
        }
    }

    /// <summary>The next packet other than PING (answered with nothing), or null when the stream ended or was reset.</summary>
    public async Task<Packet?> ReadAsync(bool skipPings = true)
    {
        using var limit = new CancellationTokenSource(ReadLimit);
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_buffer, 0, _filled);
            if (_decoder.TryDecode(ref sequence, out var packet))
            {
                Keep(sequence);
                if (skipPings && packet.Type == PacketTypes.Ping)
                {
                    continue;
                }

                return packet;
            }

            Keep(sequence);
            int read;
            try
            {
                read = await Socket.ReceiveAsync(_buffer.AsMemory(_filled), SocketFlags.None, limit.Token);
            }
            catch (SocketException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _filled += read;
        }
    }

    /// <summary>Reads until the stream ends; the packets that came before the end.</summary>
    public async Task<List<Packet>> ReadToEndAsync()
    {
        var packets = new List<Packet>();
        while (await ReadAsync() is { } packet)
        {
            packets.Add(packet);
        }

        return packets;
    }

    /// <summary>Vanishes with a TCP reset: no DISCONNECT, no FIN.</summary>
    public void Reset()
    {
        Socket.LingerState = new LingerOption(true, 0);
        Socket.Dispose();
    }

    public void Dispose() => Socket.Dispose();

    private void Keep(ReadOnlySequence<byte> rest)
    {
        var left = (int)rest.Length;
        rest.CopyTo(_buffer);
        _filled = left;
    }
}
