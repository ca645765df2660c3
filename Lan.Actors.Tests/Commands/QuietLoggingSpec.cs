using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Commands;

/// <summary>
/// What a user sees of lan-node's logging, from the built program as a child process: quiet by default (the lines a
/// user needs on standard output, warnings and errors on standard error), <c>-v</c> INFO, <c>-vv</c> DEBUG, and a
/// shutdown that says nothing.
/// </summary>
public sealed class QuietLoggingSpec(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lan-node-logging-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<LanNodeResult> ServerUntilSigterm(params string[] more)
    {
        using var server = LanNodeRun.StartRunning(["server", "--config", LanNodeRun.LoopbackConfig(_directory), "--name", "quiet", .. more]);
        await server.WaitForOutputLineAsync(line => line.StartsWith("quiet listening on 127.0.0.1:", StringComparison.Ordinal));
        await server.SignalAsync("TERM");
        var result = await server.FinishAsync();
        output.WriteLine(result.ToString());
        return result;
    }

    [Fact]
    public async Task Server_ByDefault_SaysWhereItListensOnStdout_AndLogsNothing_NotEvenWhenItStops()
    {
        var result = await ServerUntilSigterm();

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Single(result.OutputLines);
    }

    [Fact]
    public async Task Server_WithV_LogsInfoOnStderr_ButNoDebug()
    {
        var result = await ServerUntilSigterm("-v");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.ErrorLines, line => line.Contains(" INF] ", StringComparison.Ordinal) && line.Contains("listening on", StringComparison.Ordinal));
        Assert.DoesNotContain(result.ErrorLines, line => line.Contains(" DBG] ", StringComparison.Ordinal));
        Assert.DoesNotContain(result.OutputLines, line => line.Contains(" INF] ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_WithVV_LogsDebugToo()
    {
        var result = await ServerUntilSigterm("-vv");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.ErrorLines, line => line.Contains(" DBG] ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACommandThatFails_DoesNotSayExitCode0_NorReportDeadLetters_AndLogsNothingOnStdout()
    {
        // Nothing listens on a port just taken and released.
        var port = Lan.Actors.TestKit.LanTestConfiguration.FreeTcpPort();

        var result = await LanNodeRun.RunAsync(null, "msg", "--config", LanNodeRun.LoopbackConfig(_directory), "--to", $"127.0.0.1:{port}", "anyone?");
        output.WriteLine(result.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("ExitCode:0", result.Error + result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("dead letter", (result.Error + result.Output).ToLowerInvariant(), StringComparison.Ordinal);
        Assert.DoesNotContain(result.OutputLines, line => line.StartsWith('['));
    }
}
