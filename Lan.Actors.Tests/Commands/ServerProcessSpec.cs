using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;
using Lan.Actors.Discovery;

namespace Lan.Actors.Tests.Commands;

/// <summary>`lan-node server` as a real child process: SIGTERM or SIGINT (Ctrl+C) stops it cleanly, and its clients are told.</summary>
public sealed class ServerProcessSpec : LanTestKit, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lan-node-process-").FullName;
    private readonly ITestOutputHelper _output;
    private Process? _server;

    public ServerProcessSpec(ITestOutputHelper output)
        : base("lan.tcp.close-timeout = 300ms\nlan.discovery { announce-interval = 200ms, expire-after = 2s }", output) => _output = output;

    protected override void Dispose(bool disposing)
    {
        if (disposing && _server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
        }

        _server?.Dispose();
        Directory.Delete(_directory, recursive: true);
        base.Dispose(disposing);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task SigtermOrSigint_StopsTheServerCleanly_ItsClientSeesByeAndServerClosed_NotADrop_AndItExitsZero(string signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            _output.WriteLine($"skipped: sends SIG{signal} with kill(1)");
            return;
        }

        if (signal == "INT" && IgnoresSigint())
        {
            // A process started in the background by a non-interactive shell ignores SIGINT, and its children
            // inherit that: the runtime then leaves SIGINT ignored, as a shell would. Ctrl+C never reaches them.
            _output.WriteLine("skipped: this test process ignores SIGINT (started in the background), so its child would too");
            return;
        }

        var port = LanTestConfiguration.FreeTcpPort();
        var config = Path.Combine(_directory, "node.conf");
        await File.WriteAllTextAsync(config, $$"""
            include "{{ReferenceConfSpec().Replace("\\", "/", StringComparison.Ordinal)}}"
            lan.discovery { port = {{LanConfig.GetInt("lan.discovery.port")}}, announce-interval = 200ms }
            """);
        var nodeDll = Path.Combine(AppContext.BaseDirectory, "lan-node.dll");
        _server = Process.Start(new ProcessStartInfo("dotnet", $"\"{nodeDll}\" server --config \"{config}\" --port {port} --name child")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        _server.OutputDataReceived += (_, line) => _output.WriteLine($"server: {line.Data}");
        _server.BeginOutputReadLine();

        Sys.EventStream.Subscribe(TestActor, typeof(ServerFound));
        Sys.EventStream.Subscribe(TestActor, typeof(ServerLost));
        var client = LanNode.StartClient(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(TestActor));
        client.Connect(new IPEndPoint(IPAddress.Loopback, port));
        // Connected, and known by discovery (or its BYE could mean nothing to the client), in either order.
        bool connected = false, found = false;
        while (!(connected && found))
        {
            switch (ReceiveOne(TimeSpan.FromSeconds(30)))
            {
                case Connected:
                    connected = true;
                    break;
                case ServerFound { Server.Name: "child" }:
                    found = true;
                    break;
                case null:
                    Assert.Fail($"waited 30 s: connected {connected}, found {found}");
                    break;
            }
        }

        using (var kill = Process.Start("kill", $"-{signal} {_server.Id}"))
        {
            await kill.WaitForExitAsync();
        }

        // SERVER_BYE leaves before the DISCONNECTs, but the two travel different sockets: either may come first.
        Disconnected? disconnected = null;
        ServerLost? lost = null;
        while (disconnected is null || lost is null)
        {
            switch (ReceiveOne(TimeSpan.FromSeconds(10)))
            {
                case Disconnected message:
                    disconnected = message;
                    break;
                case ServerLost message:
                    lost = message;
                    break;
                case null:
                    Assert.Fail($"waited 10 s after SIG{signal}: disconnected {disconnected}, lost {lost}");
                    break;
            }
        }

        Assert.Equal(DisconnectReason.ServerClosed, disconnected.Reason);
        Assert.Contains("DISCONNECT", disconnected.Detail, StringComparison.Ordinal);
        Assert.Equal(ServerLostReason.Bye, lost.Reason);
        await _server.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        Assert.Equal(0, _server.ExitCode);
    }

    // Bit 2 (SIGINT) of the SigIgn mask in /proc/self/status.
    private static bool IgnoresSigint()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
        return (mask & (1UL << 1)) != 0;
    }

    private static string ReferenceConfSpec() => Hocon.ReferenceConfSpec.RepositoryFile("hocon", "loopback.conf");
}
