using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Commands;

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

    [Theory]
    [InlineData("discover", "-1s")]
    [InlineData("discover", "-1ms")]
    [InlineData("discover", "99999999s")]
    [InlineData("peers", "-1s")]
    public async Task ATimeoutOutOfRange_IsBadUsage_Exit2_WithAMessageSayingWhatIsGood(string command, string timeout)
    {
        var result = await Run(null, command, "--config", LanNodeRun.LoopbackConfig(_directory), "--timeout", timeout);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Equal($"--timeout {timeout} is not a duration from 0 to 49 days; give one like 2s, 500ms or 5m", line);
    }

    [Theory]
    [InlineData("server", "abc")]
    [InlineData("registry", "-3")]
    [InlineData("server", "70000")]
    public async Task APortThatIsNoPort_SaysWhatAPortIs_AndExits2(string command, string port)
    {
        var result = await Run(null, command, "--config", LanNodeRun.LoopbackConfig(_directory), "--port", port);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(result.ErrorLines, line => line.StartsWith("--port takes a number from 1 to 65535", StringComparison.Ordinal));
        Assert.DoesNotContain("System.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendingAFolder_SaysItIsAFolder_NotThatItDoesNotExist()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_directory, "photos")).FullName;

        var result = await Run(null, "send", "--config", LanNodeRun.LoopbackConfig(_directory), "--to", "127.0.0.1:9", folder);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"{folder} is a folder", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }
}

/// <summary><c>lan-node client</c> that never gets a connection: exit code 1 and one line that says why, as a child process.</summary>
public sealed class ClientThatNeverConnectsSpec(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lan-node-client-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task AnAddressThatRefuses_Exits1_SayingSoInOneLine_AndClaimsNoLinesWereLostWhenNoneWereTyped()
    {
        // Nothing listens on a port just taken and released.
        var port = Lan.Actors.TestKit.LanTestConfiguration.FreeTcpPort();

        var result = await LanNodeRun.RunAsync("", "client", "--config", LanNodeRun.LoopbackConfig(_directory), "--server", $"127.0.0.1:{port}");
        output.WriteLine(result.ToString());

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"lan-node: could not connect to 127.0.0.1:{port}: Connection refused", line, StringComparison.Ordinal);
        Assert.DoesNotContain("not sent", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANameNobodyAnswersTo_Exits1_SayingSo_AndCountsTheLinesTypedThatWereNotSent()
    {
        var result = await LanNodeRun.RunAsync("one\ntwo\n", "client", "--config", LanNodeRun.LoopbackConfig(_directory), "--server", "nobody-here");
        output.WriteLine(result.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("lan-node: no server named nobody-here was found (waited 15 s); the 2 lines typed were not sent", Assert.Single(result.ErrorLines));
    }
}
