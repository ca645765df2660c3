using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Node;

/// <summary>lan-node's error paths as a user meets them, from the built program as a child process: exit code 1 or 2 and one line that says what happened.</summary>
public sealed class ErrorsAndExitCodesSpec(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lan-node-errors-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<LanNodeResult> Run(string? input, params string[] args)
    {
        var result = await LanNodeRun.RunAsync(input, args);
        output.WriteLine($"lan-node {string.Join(' ', args)}\n{result}");
        return result;
    }

    [Theory]
    [InlineData("server")]
    [InlineData("registry")]
    public async Task APortInUse_IsOneLineOnStderr_SayingSo_AndExit1(string command)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await Run(null, command, "--config", LanNodeRun.LoopbackConfig(_directory), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains($"port {port} is in use", line, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }
}
