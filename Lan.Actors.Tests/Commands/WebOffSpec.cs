using System.Diagnostics;

namespace Lan.Actors.Tests.Commands;

/// <summary>
/// A node that serves no page loads no HTTP code, and one without --metrics no OpenTelemetry: read from the files the
/// running lan-node process has mapped (/proc/PID/maps), so nothing in lan-node has to report on itself.
/// </summary>
public sealed class WebOffSpec
{
    private static readonly string Loopback = Hocon.ReferenceConfSpec.RepositoryFile("hocon", "loopback.conf");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithoutWeb_NoAspNetCoreIsLoaded_AndWithIt_KestrelIs(bool web)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string[] args = ["server", "--config", Loopback, "--port", "0", "--name", "quiet", .. web ? ["--web", "0"] : Array.Empty<string>()];
        using var server = LanNodeRun.Start(args);
        try
        {
            Assert.StartsWith("quiet listening on", await server.StandardOutput.ReadLineAsync(), StringComparison.Ordinal);
            if (web)
            {
                Assert.StartsWith("web page at http://127.0.0.1:", await server.StandardOutput.ReadLineAsync(), StringComparison.Ordinal);
            }

            var mapped = await File.ReadAllTextAsync($"/proc/{server.Id}/maps");
            Assert.Equal(web, mapped.Contains("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal));
            Assert.Equal(web, mapped.Contains("Lan.Actors.Web.dll", StringComparison.Ordinal));
            Assert.DoesNotContain("OpenTelemetry", mapped, StringComparison.Ordinal);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
