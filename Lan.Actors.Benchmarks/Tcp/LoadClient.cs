using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Lan.Actors.Security;

namespace Lan.Actors.Benchmarks.Tcp;

/// <summary>
/// Drives an echo server with one frame shape and counts what comes back. It only splits frames by their length
/// prefix, so its own cost is the same whichever server it drives; over a stream, so the same client drives plain and
/// TLS servers alike (a NetworkStream, or an SslStream over it presenting a client certificate).
/// </summary>
internal static class LoadClient
{
    /// <summary>One connection, one frame in flight: the round-trip latencies, in ticks, sorted.</summary>
    public static async Task<long[]> PingPongAsync(IPEndPoint server, byte[] frame, int roundTrips, NodeIdentity? identity = null)
    {
        await using var stream = await ConnectAsync(server, identity).ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        var latencies = new long[roundTrips];
        for (var i = 0; i < roundTrips; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await stream.WriteAsync(frame).ConfigureAwait(false);
            await ReadFramesAsync(stream, buffer, 1).ConfigureAwait(false);
            latencies[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(latencies);
        return latencies;
    }

    /// <summary>Opens a connection: plain when <paramref name="identity"/> is null, else TLS 1.3 presenting it.</summary>
    public static async Task<Stream> ConnectAsync(IPEndPoint server, NodeIdentity? identity)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server).ConfigureAwait(false);
        var plain = new NetworkStream(socket, ownsSocket: true);
        if (identity is null)
        {
            return plain;
        }

        var tls = new SslStream(plain);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "lan-actors",
            ClientCertificates = [identity.Certificate],
            EnabledSslProtocols = SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
        }).ConfigureAwait(false);
        return tls;
    }

    /// <summary><paramref name="connections"/> connections with <paramref name="inFlight"/> frames each in flight; the elapsed time.</summary>
    public static async Task<TimeSpan> PipelinedAsync(IPEndPoint server, byte[] frame, int connections, int inFlight, int framesPerConnection, NodeIdentity? identity = null)
    {
        var streams = new Stream[connections];
        for (var i = 0; i < connections; i++)
        {
            streams[i] = await ConnectAsync(server, identity).ConfigureAwait(false);
        }

        var started = Stopwatch.StartNew();
        await Task.WhenAll(streams.Select(stream => PipelineOneAsync(stream, frame, inFlight, framesPerConnection))).ConfigureAwait(false);
        started.Stop();
        foreach (var stream in streams)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        return started.Elapsed;
    }

    /// <summary>Reads until <paramref name="frames"/> whole frames have come.</summary>
    public static async Task ReadFramesAsync(Stream stream, byte[] buffer, int frames)
    {
        var filled = 0;
        var seen = 0;
        while (seen < frames)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled)).ConfigureAwait(false);
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

    private static async Task PipelineOneAsync(Stream stream, byte[] frame, int inFlight, int frames)
    {
        var window = new byte[frame.Length * inFlight];
        for (var i = 0; i < inFlight; i++)
        {
            frame.CopyTo(window, i * frame.Length);
        }

        var buffer = new byte[256 * 1024];
        var sent = Math.Min(inFlight, frames);
        await stream.WriteAsync(window.AsMemory(0, sent * frame.Length)).ConfigureAwait(false);
        var received = 0;
        var partial = 0;
        while (received < frames)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(partial)).ConfigureAwait(false);
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
                await stream.WriteAsync(window.AsMemory(0, more * frame.Length)).ConfigureAwait(false);
                sent += more;
            }
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
}
