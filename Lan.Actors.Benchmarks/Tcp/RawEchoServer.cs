using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Lan.Actors.Benchmarks.Tcp;

/// <summary>
/// The ceiling: an echo server on plain sockets with the same framing (4-byte big-endian length, then the
/// frame), which reads in large chunks and sends back every whole frame of a read in one send. It decodes
/// nothing, allocates nothing per frame, and has no actors; a naive one that wrote once per frame would be
/// several times slower pipelined and flatter what is measured against it.
/// </summary>
internal sealed class RawEchoServer : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _accepted = [];

    public RawEchoServer()
    {
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

                _ = EchoAsync(socket);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Disposed: the run is over.
        }
    }

    private static async Task EchoAsync(Socket socket)
    {
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

                    complete += 4 + length;
                }

                if (complete > 0)
                {
                    var sent = 0;
                    while (sent < complete)
                    {
                        sent += await socket.SendAsync(buffer.AsMemory(sent, complete - sent), SocketFlags.None).ConfigureAwait(false);
                    }

                    buffer.AsSpan(complete, filled - complete).CopyTo(buffer);
                    filled -= complete;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client went away.
        }
    }
}
