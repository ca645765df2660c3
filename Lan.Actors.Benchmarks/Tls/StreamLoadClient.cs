using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Lan.Actors.Security;

namespace Lan.Actors.Benchmarks.Tls;

/// <summary>
/// The load client of <c>--tls-load</c>: the same frames and pipelining as <see cref="Tcp.LoadClient"/>, over a stream,
/// so the same client drives plain and TLS servers alike (NetworkStream, or SslStream over it with a client certificate).
/// </summary>
internal static class StreamLoadClient
{
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
    public static async Task<TimeSpan> PipelinedAsync(IPEndPoint server, NodeIdentity? identity, byte[] frame, int connections, int inFlight, int framesPerConnection, byte[]? hello = null)
    {
        var streams = new Stream[connections];
        for (var i = 0; i < connections; i++)
        {
            streams[i] = await ConnectAsync(server, identity).ConfigureAwait(false);
            if (hello is not null)
            {
                // Our nodes answer HELLO with WELCOME: read it, so the count below is only echoes.
                await streams[i].WriteAsync(hello).ConfigureAwait(false);
                await ReadFramesAsync(streams[i], new byte[4096], 1).ConfigureAwait(false);
            }
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
