using Lan.Actors.Protocol;
using Lan.Actors.Tests.Commands;
using Lan.Actors.Tests.Filer;
using Lan.Actors.Tests.Io;

namespace Lan.Actors.Tests.Logging;

/// <summary>
/// lan-node's log lines go to the user's terminal (standard error), and many quote what a peer chose: its name, its
/// DISCONNECT reason, a file name. Whatever an actor logs, a peer's string is shown escaped, never acted on.
/// </summary>
public sealed class ProcessLoggingSpec : IDisposable
{
    private const string Hostile = "mallory\u001b]0;pwned\u0007\u001b[2J\r\u202e";
    private readonly TempFolder _temp = new("logging");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task APeersNameInALogLine_ReachesTheTerminalEscaped_NotAsControlCharacters()
    {
        using var den = LanNodeRun.StartRunning("server", "--config", LanNodeRun.LoopbackConfig(_temp.Path, "lan.security.mode = open"), "--port", "0", "--name", "den", "-v");
        var listening = await den.WaitForOutputLineAsync(line => line.StartsWith("den listening on ", StringComparison.Ordinal));
        using var peer = await RawPeer.ConnectAsync(System.Net.IPEndPoint.Parse(listening["den listening on ".Length..].Split(';')[0]));
        await peer.SendAsync(Packet.From(new Hello("mallory-id", Hostile, "lan")), Packet.From(new Disconnect("bye\u001b[31m red")));

        // The connection's own line names the peer as it said it is; the end quotes its DISCONNECT reason.
        var named = await den.WaitForErrorLineAsync(line => line.Contains("is mallory", StringComparison.Ordinal));
        var ended = await den.WaitForErrorLineAsync(line => line.Contains("the peer said DISCONNECT", StringComparison.Ordinal));
        await den.SignalAsync("INT");
        var run = await den.FinishAsync();

        Assert.Contains(@"is mallory\x1B]0;pwned\x07\x1B[2J\r\u202E", named, StringComparison.Ordinal);
        Assert.Contains(@"bye\x1B[31m red", ended, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', run.Error);
        Assert.DoesNotContain('\u0007', run.Error);
        Assert.DoesNotContain('\u202e', run.Error);
        Assert.DoesNotContain('\r', run.Error);
    }
}
