using System.Net;
using System.Net.Sockets;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;

namespace Lan.Actors.Tests.Commands;

/// <summary><c>lan-node ... --metrics [HOST:]PORT</c>: the Lan.Actors meter in Prometheus' text format, and its bad values.</summary>
public sealed class MetricsEndpointSpec
{
    private static readonly string Loopback = Hocon.ReferenceConfSpec.RepositoryFile("hocon", "loopback.conf");

    [Fact]
    public async Task AServerWithMetrics_ServesThemInPrometheusFormat_WithAHandshakeFailureItsPeerCaused()
    {
        var metricsPort = LanTestConfiguration.FreeTcpPort();
        var lanPort = LanTestConfiguration.FreeTcpPort();
        using var server = LanNodeRun.Start("server", "--config", Loopback, "--port", lanPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--name", "metered",
            "--metrics", $"127.0.0.1:{metricsPort}");
        try
        {
            Assert.Equal($"metrics at http://127.0.0.1:{metricsPort}/metrics", await server.StandardError.ReadLineAsync());
            Assert.StartsWith("metered listening on", await server.StandardOutput.ReadLineAsync(), StringComparison.Ordinal);
            using var http = new HttpClient();
            Assert.Contains("target_info", await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics")), StringComparison.Ordinal);

            // The node is in TLS mode (the default): a plaintext peer is a failed handshake, and shows as one.
            using (var plain = await RawPeer.ConnectAsync(new IPEndPoint(IPAddress.Loopback, lanPort)))
            {
                await plain.SendAsync(RawPeer.Message("no TLS here"));
                Assert.Null(await plain.ReadAsync());
            }

            // The server closed the connection after counting its failure: the next scrape shows it (scrapes are not cached).
            var scraped = await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
            Assert.Contains("lan_tls_handshake_failures_total{otel_scope_name=\"Lan.Actors\"", scraped, StringComparison.Ordinal);
            Assert.Contains("lan_tls_failure=\"failed\"} 1", scraped, StringComparison.Ordinal);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData("70000", "--metrics: expected [HOST:]PORT with PORT from 1 to 65535")]
    [InlineData("host:", "--metrics: expected [HOST:]PORT")]
    [InlineData(":9464", "--metrics: \"\" is not an address or host name")]
    public async Task ABadValue_IsOneLine_AndExitCode2(string value, string said)
    {
        var result = await LanNodeRun.RunAsync(null, "id", "--metrics", value);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(said, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APortInUse_IsOneLine_AndExitCode1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await LanNodeRun.RunAsync(null, "id", "--metrics", $"127.0.0.1:{port}");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"lan-node: --metrics cannot listen on 127.0.0.1:{port}", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }
}
