using System.Text.Json;
using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Lan.Node.Commands;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Commands;

/// <summary>The node commands, run in-process against a server node on loopback (the spec's own UDP port).</summary>
[Collection(ProcessLoggingCollection.Name)]
public sealed class NodeCommandsSpec(ITestOutputHelper output) : LanTestKit("lan.tcp { port = 0, close-timeout = 300ms }\nlan.discovery { announce-interval = 200ms, expire-after = 1s }", output)
{
    private Task<LanServer> StartServer(string name, Props handler)
    {
        var settings = LanNodeSettings.FromConfig(LanConfig);
        return LanNode.StartServerAsync(Sys, settings with { Node = settings.Node with { Name = name } }, handler, new ServerOptions { Name = name });
    }

    [Fact]
    public async Task DiscoverJson_ListsTheServerWithItsAddressPortAndApp()
    {
        var server = await StartServer("lobby", Props.Create<EchoHandler>());
        using var printed = new StringWriter();
        using var log = new StringWriter();
        // How long discover listens, not a bound on anything: one second was too short for a host starting on a loaded machine.
        var exit = await DiscoverCommand.RunAsync(LanTestConfiguration.Build($"lan.discovery.port = {LanConfig.GetInt("lan.discovery.port")}"), Dilated(TimeSpan.FromSeconds(3)), json: true, printed, log);
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(printed.ToString());
        var lobby = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("lobby", lobby.GetProperty("name").GetString());
        Assert.Equal("127.0.0.1", lobby.GetProperty("address").GetString());
        Assert.Equal(server.LocalEndPoint.Port, lobby.GetProperty("port").GetInt32());
        Assert.Equal("lan", lobby.GetProperty("app").GetString());
    }

    [Fact]
    public async Task Client_SendsEachNonEmptyLine_PrintsTheEchoes_AndQuitsWithDisconnect()
    {
        var server = await StartServer("echo", Props.Create<EchoHandler>());
        using var printed = new StringWriter();
        using var log = new StringWriter();
        using var input = new StringReader("hello\n\n   \nworld\n/quit\nnever sent\n");
        var config = LanTestConfiguration.Build($"lan.discovery.port = {LanConfig.GetInt("lan.discovery.port")}\nlan.client.auto-connect = none");
        var exit = await ClientCommand.RunAsync(config, server.LocalEndPoint, input, printed, log, CancellationToken.None);
        Assert.Equal(0, exit);
        var lines = printed.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["hello", "world"], lines.Where(line => !line.StartsWith('*')));
        Assert.Contains(lines, line => line.StartsWith("* disconnected: Requested", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Client_ByServerName_FindsThatServer_ThroughDiscovery()
    {
        await StartServer("decoy", Props.Create<EchoHandler>());
        await StartServer("room", Props.Create<ChatRoomHandler>());
        using var printed = new StringWriter();
        using var log = new StringWriter();
        using var input = new StringReader("hi room\n");
        var config = LanTestConfiguration.Build($"lan.discovery.port = {LanConfig.GetInt("lan.discovery.port")}\nlan.client.auto-connect = room\nlan.node.name = ana");
        Assert.Equal(0, await ClientCommand.RunAsync(config, null, input, printed, log, CancellationToken.None));
        Assert.Contains("* room welcomes you", printed.ToString(), StringComparison.Ordinal);
        Assert.Contains("ana: hi room", printed.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>lan-node's exit codes for bad usage, through its real entry point.</summary>
[Collection(ProcessLoggingCollection.Name)]
public sealed class UsageSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lan-node-usage-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<int> LanNode(params string[] args)
    {
        var entry = typeof(ServerCommand).Assembly.EntryPoint!;
        var result = entry.Invoke(null, [args]);
        return result is Task<int> task ? await task : (int)result!;
    }

    [Theory]
    [InlineData("server", "--handler", "nope")]
    [InlineData("server", "--port", "not-a-number")]
    [InlineData("discover", "--no-such-flag")]
    [InlineData("no-such-command")]
    public async Task BadFlags_ExitWith2(params string[] args) => Assert.Equal(2, await LanNode(args));

    [Fact]
    public async Task ServerWithABadConfigFile_ExitsWith2_BeforeStartingAnything()
    {
        var file = Path.Combine(_directory, "bad.conf");
        await File.WriteAllTextAsync(file, "lan.tcp {\n  heartbeat-timeout = 1s\n  heartbeat-interval = 5s\n}\n");
        Assert.Equal(2, await LanNode("server", "--config", file));
    }

    [Fact]
    public async Task DiscoverWithABadTimeout_ExitsWith2() => Assert.Equal(2, await LanNode("discover", "--timeout", "soon"));
}
