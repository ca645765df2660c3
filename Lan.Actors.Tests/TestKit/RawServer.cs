using System.Net;
using System.Net.Sockets;

namespace Lan.Actors.Tests.TestKit;

/// <summary>How a byte stream ended for the side reading it.</summary>
internal enum StreamEnd
{
    /// <summary>The peer ended in order: a read returned zero bytes.</summary>
    Fin,

    /// <summary>The peer reset the connection.</summary>
    Reset,
}

/// <summary>
/// Plain sockets on 127.0.0.1 for the proxy's byte-level specs: a listener playing the server and a few reads that
/// tell an orderly end from a reset. Every wait is bounded, so a proxy that swallows an end fails the spec.
/// </summary>
internal sealed class RawServer : IDisposable
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public RawServer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public async Task<Socket> AcceptAsync()
    {
        var socket = await _listener.AcceptAsync().WaitAsync(Limit);
        socket.NoDelay = true;
        return socket;
    }

    public void Dispose() => _listener.Dispose();

    public static async Task<Socket> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint).WaitAsync(Limit);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static async Task SendAsync(Socket socket, byte[] bytes)
    {
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
        }
    }

    /// <summary>Reads once, or until the stream ends if nothing arrives; the end is null when bytes arrived.</summary>
    public static Task<(byte[] Bytes, StreamEnd? End, int Reads)> ReadToEndOrFirstByteAsync(Socket socket) =>
        ReadAsync(socket, stopAtFirstRead: true);

    /// <summary>Reads until the stream ends; what arrived, how it ended, and how many reads it took.</summary>
    public static async Task<(byte[] Bytes, StreamEnd End, int Reads)> ReadToEndAsync(Socket socket)
    {
        var (bytes, end, reads) = await ReadAsync(socket, stopAtFirstRead: false);
        return (bytes, end!.Value, reads);
    }

    private static async Task<(byte[] Bytes, StreamEnd? End, int Reads)> ReadAsync(Socket socket, bool stopAtFirstRead)
    {
        using var limit = new CancellationTokenSource(Limit);
        var received = new List<byte>();
        var buffer = new byte[64 * 1024];
        var reads = 0;
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                return ([.. received], StreamEnd.Reset, reads);
            }

            if (read == 0)
            {
                return ([.. received], StreamEnd.Fin, reads);
            }

            reads++;
            received.AddRange(buffer.AsSpan(0, read));
            if (stopAtFirstRead)
            {
                return ([.. received], null, reads);
            }
        }
    }

    /// <summary>
    /// Connects and reads to the end, for a connection the proxy closes at once: the reset may come so soon
    /// that the connect itself reports it.
    /// </summary>
    public static async Task<StreamEnd> ConnectAndReadEndAsync(IPEndPoint endPoint)
    {
        try
        {
            using var socket = await ConnectAsync(endPoint);
            return (await ReadToEndAsync(socket)).End;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return StreamEnd.Reset;
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes, failing if the stream ends first; also how many reads it took.</summary>
    public static async Task<(byte[] Bytes, int Reads)> ReadExactlyAsync(Socket socket, int count)
    {
        using var limit = new CancellationTokenSource(Limit);
        var bytes = new byte[count];
        var filled = 0;
        var reads = 0;
        while (filled < count)
        {
            var read = await socket.ReceiveAsync(bytes.AsMemory(filled), SocketFlags.None, limit.Token);
            Assert.True(read > 0, $"the stream ended after {filled} of {count} bytes");
            filled += read;
            reads++;
        }

        return (bytes, reads);
    }

    /// <summary>True when nothing is waiting to be read and the peer has neither ended nor reset the stream.</summary>
    public static bool IsQuietAndOpen(Socket socket) => socket.Available == 0 && !socket.Poll(0, SelectMode.SelectRead);

    public static byte[] Numbered(int count) => [.. Enumerable.Range(0, count).Select(i => (byte)i)];
}
