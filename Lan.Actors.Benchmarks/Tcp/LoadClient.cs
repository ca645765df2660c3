using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Lan.Actors.Benchmarks.Tcp;

/// <summary>
/// Drives an echo server with one frame shape and counts what comes back. It only splits frames by their
/// length prefix, so its own cost is the same whichever server it drives.
/// </summary>
internal static class LoadClient
{
    /// <summary>One connection, one frame in flight: the round-trip latencies, in ticks, sorted.</summary>
    public static async Task<long[]> PingPongAsync(IPEndPoint server, byte[] frame, int roundTrips)
    {
        using var socket = await ConnectAsync(server).ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        var latencies = new long[roundTrips];
        for (var i = 0; i < roundTrips; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await socket.SendAsync(frame, SocketFlags.None).ConfigureAwait(false);
            await ReadFramesAsync(socket, buffer, 1).ConfigureAwait(false);
            latencies[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(latencies);
        return latencies;
    }

    /// <summary><paramref name="connections"/> connections with <paramref name="inFlight"/> frames each in flight; the elapsed time.</summary>
    public static async Task<TimeSpan> PipelinedAsync(IPEndPoint server, byte[] frame, int connections, int inFlight, int framesPerConnection)
    {
        var sockets = new Socket[connections];
        for (var i = 0; i < connections; i++)
        {
            sockets[i] = await ConnectAsync(server).ConfigureAwait(false);
        }

        var started = Stopwatch.StartNew();
        await Task.WhenAll(sockets.Select(socket => PipelineOneAsync(socket, frame, inFlight, framesPerConnection))).ConfigureAwait(false);
        started.Stop();
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }

        return started.Elapsed;
    }

    private static async Task PipelineOneAsync(Socket socket, byte[] frame, int inFlight, int frames)
    {
        // The window's frames leave in one send, and each batch that comes back is answered by as many new ones.
        var window = new byte[frame.Length * inFlight];
        for (var i = 0; i < inFlight; i++)
        {
            frame.CopyTo(window, i * frame.Length);
        }

        var buffer = new byte[256 * 1024];
        var sent = Math.Min(inFlight, frames);
        await socket.SendAsync(window.AsMemory(0, sent * frame.Length), SocketFlags.None).ConfigureAwait(false);
        var received = 0;
        var partial = 0;
        while (received < frames)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(partial), SocketFlags.None).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the server closed the connection during the run");
            }

            var (whole, left) = CountFrames(buffer, partial + read);
            buffer.AsSpan(partial + read - left, left).CopyTo(buffer);
            partial = left;
            received += whole;
            var more = Math.Min(whole, frames - sent);
            if (more > 0)
            {
                await socket.SendAsync(window.AsMemory(0, more * frame.Length), SocketFlags.None).ConfigureAwait(false);
                sent += more;
            }
        }
    }

    private static async Task ReadFramesAsync(Socket socket, byte[] buffer, int frames)
    {
        var filled = 0;
        var seen = 0;
        while (seen < frames)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the server closed the connection during the run");
            }

            filled += read;
            var (whole, left) = CountFrames(buffer, filled);
            seen += whole;
            buffer.AsSpan(filled - left, left).CopyTo(buffer);
            filled = left;
        }
    }

    private static (int Whole, int Left) CountFrames(byte[] buffer, int length)
    {
        var offset = 0;
        var whole = 0;
        while (length - offset >= 4)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(offset));
            if (length - offset - 4 < size)
            {
                break;
            }

            offset += 4 + size;
            whole++;
        }

        return (whole, length - offset);
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server).ConfigureAwait(false);
        return socket;
    }
}
