using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Nodes;

/// <summary>The README's first actor and its two nodes in one process, as written there.</summary>
public sealed class ReadmeExampleSpec(ITestOutputHelper output) : LanTestKit("lan.client.auto-connect = first", output)
{
    private sealed class Greeter : ReceiveActor
    {
        public Greeter() => Receive<string>(name => Sender.Tell($"hello, {name}"));
    }

    [Fact]
    public async Task FirstActor_AnswersOverAsk_OnASystemBuiltFromTheLoopbackConfiguration()
    {
        var config = LanConfiguration.Loopback();
        using var system = LanActorSystem.Create("app", config);
        var greeter = system.ActorOf(Props.Create<Greeter>(), "greeter");
        Assert.Equal("hello, LAN", await greeter.Ask<string>("LAN", TimeSpan.FromSeconds(10)));
        await system.Terminate();
    }

    [Fact]
    public void TheLoopbackConfiguration_FromTheLibrary_KeepsEverySocketOnThisHost_UnderTheCallersOverrides()
    {
        var config = LanConfiguration.Loopback("lan.node.name = lobby");
        Assert.Equal("127.0.0.1", config.GetString("lan.tcp.bind-host"));
        Assert.Equal("127.255.255.255", config.GetString("lan.discovery.broadcast-address"));
        Assert.Equal("127.255.255.255", config.GetString("lan.discovery.bind-address"));
        Assert.Equal("lobby", config.GetString("lan.node.name"));
        Assert.Equal("lan", config.GetString("lan.node.app")); // reference.conf beneath
    }

    [Fact]
    public async Task AServerAndAClient_StartedFromTheSameSettings_AreTwoNodes_AndTheClientFindsTheServerByDiscovery()
    {
        // The README's snippet: one settings object for both nodes. With lan.node.id left empty each node gets its
        // own id, so the client's discovery does not take the server's announcements for its own.
        var settings = LanNodeSettings.FromConfig(LanConfig);
        var server = await LanNode.StartServerAsync(Sys, settings, Props.Create<Lan.Actors.Handlers.EchoHandler>());
        var client = LanNode.StartClient(Sys, settings, Forwarder.To(TestActor));
        var connected = FishForMessage<Connected>(_ => true, Dilated(TimeSpan.FromSeconds(10)));
        Assert.Equal(server.LocalEndPoint, connected.Peer.EndPoint);
        Assert.NotEqual(server.Id, client.Id);
    }

    [Fact]
    public void AConfiguredId_IsKept_ForEveryNodeStartedFromTheSettings()
    {
        var settings = LanNodeSettings.FromConfig(LanTestConfiguration.Build("lan.node.id = fixed-id"));
        Assert.Equal("fixed-id", settings.ForOneNode().Node.Id);
        var generated = LanNodeSettings.FromConfig(LanConfig);
        Assert.NotEqual(generated.ForOneNode().Node.Id, generated.ForOneNode().Node.Id);
        // How an id came about does not make two settings differ.
        Assert.Equal(new NodeSettings(generated.Node.Name, generated.Node.App, generated.Node.Id), generated.Node);
        Assert.Equal("kept", (generated.Node with { Id = "kept" }).ForOneNode().Id);
    }
}
