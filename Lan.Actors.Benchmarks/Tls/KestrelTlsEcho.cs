using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Security.Authentication;
using Lan.Actors.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Lan.Actors.Benchmarks.Tls;

/// <summary>
/// The TLS yardstick of <c>--tls-load</c>: Kestrel with UseHttps (TLS 1.3, a client certificate required, as our nodes
/// do) in front of a connection handler that echoes every whole frame of a read in one write, on 127.0.0.1 only.
/// The same work our echo does, on ASP.NET Core's transport and its SslStream.
/// </summary>
internal sealed class KestrelTlsEcho : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelTlsEcho(WebApplication app, IPEndPoint endPoint)
    {
        _app = app;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public static async Task<KestrelTlsEcho> StartAsync(NodeIdentity identity)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = identity.Certificate,
                ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                ClientCertificateValidation = (certificate, _, _) => certificate is not null,
                SslProtocols = SslProtocols.Tls13,
            });
            listen.UseConnectionHandler<FrameEcho>();
        }));
        var app = builder.Build();
        await app.StartAsync().ConfigureAwait(false);
        var address = new Uri(app.Urls.First());
        return new KestrelTlsEcho(app, new IPEndPoint(IPAddress.Loopback, address.Port));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class FrameEcho : ConnectionHandler
    {
        public override async Task OnConnectedAsync(ConnectionContext connection)
        {
            var input = connection.Transport.Input;
            var output = connection.Transport.Output;
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                var whole = WholeFrames(buffer);
                if (whole > 0)
                {
                    foreach (var segment in buffer.Slice(0, whole))
                    {
                        output.Write(segment.Span);
                    }

                    await output.FlushAsync().ConfigureAwait(false);
                }

                input.AdvanceTo(buffer.GetPosition(whole), buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }

        private static long WholeFrames(ReadOnlySequence<byte> buffer)
        {
            long offset = 0;
            Span<byte> prefix = stackalloc byte[4];
            while (buffer.Length - offset >= 4)
            {
                buffer.Slice(offset, 4).CopyTo(prefix);
                var size = BinaryPrimitives.ReadInt32BigEndian(prefix);
                if (buffer.Length - offset - 4 < size)
                {
                    break;
                }

                offset += 4 + size;
            }

            return offset;
        }
    }
}
