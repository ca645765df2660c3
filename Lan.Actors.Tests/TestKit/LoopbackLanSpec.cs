using System.Net.Sockets;
using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;
using Xunit.Sdk;
using Lan.Actors.Discovery;

namespace Lan.Actors.Tests.TestKit;

/// <summary>The test kit's LAN does what its fault helpers promise, and its teardown catches leaks.</summary>
public sealed class LoopbackLanSpec(ITestOutputHelper output) : LanTestKit("lan.tcp.close-timeout = 500ms", output)
{
    [Fact]
    public async Task KillServer_SendsNoBye_SoDiscoveryLosesItOnlyByExpiry()
    {
        var discovery = CreateTestProbe();
        Sys.EventStream.Subscribe(discovery.Ref, typeof(ServerLost));
        await using var lan = new LoopbackLan(this);
        var server = await lan.StartServer("doomed", Props.Create<EchoHandler>());
        lan.StartProbeClient("doomed").ExpectIdentified();

        await lan.KillServer(server);

        Assert.Equal(ServerLostReason.Expired, discovery.ExpectMsg<ServerLost>(Dilated(TimeSpan.FromSeconds(5))).Reason);
    }

    [Fact]
    public async Task CleanRestart_SaysBye_AndClientsAreToldTheServerClosed()
    {
        var discovery = CreateTestProbe();
        Sys.EventStream.Subscribe(discovery.Ref, typeof(ServerLost));
        await using var lan = new LoopbackLan(this);
        var server = await lan.StartServer("tidy", Props.Create<EchoHandler>());
        var client = lan.StartProbeClient("tidy");
        client.ExpectIdentified();

        await lan.RestartServer(server, clean: true);

        Assert.Equal(DisconnectReason.ServerClosed, client.ExpectDisconnected().Reason);
        Assert.Equal(ServerLostReason.Bye, discovery.ExpectMsg<ServerLost>().Reason);
        client.ExpectIdentified();
    }

    [Fact]
    public async Task DropClient_ResetsWithoutDisconnect_TheServerSeesDropped()
    {
        var serverSide = new PacketProbe(this, "server-side");
        await using var lan = new LoopbackLan(this);
        await lan.StartServer("host", serverSide.HandlerProps);
        var client = lan.StartProbeClient("host", "leaver");
        client.ExpectIdentified();
        serverSide.ExpectIdentified();

        await lan.DropClient(client.Client!);

        serverSide.ExpectDisconnected(DisconnectReason.Dropped);
        client.ExpectDisconnected(DisconnectReason.Aborted);
    }

    [Fact]
    public async Task CloseFromServer_TheClientSeesServerClosed_AndAnUnknownPeerIsReported()
    {
        await using var lan = new LoopbackLan(this);
        var server = await lan.StartServer("strict", Props.Create<EchoHandler>());
        var client = lan.StartProbeClient("strict", "guest");
        client.ExpectIdentified();

        Assert.True(await lan.CloseFromServer(server, "guest"));
        Assert.False(await lan.CloseFromServer(server, "nobody"));

        client.ExpectDisconnected(DisconnectReason.ServerClosed);
    }

    [Fact]
    public async Task ExpectPacket_NamesThePacketThatCameInstead()
    {
        await using var lan = new LoopbackLan(this);
        await lan.StartServer("echo", Props.Create<EchoHandler>());
        var client = lan.StartProbeClient("echo");
        client.ExpectIdentified();
        client.Send(RawPeer.Message("not what you think"));

        var failure = Assert.Throws<XunitException>(() => client.ExpectPacket("SCORE"));

        Assert.Contains("expected a SCORE packet, got MESSAGE", failure.Message, StringComparison.Ordinal);
        Assert.Contains("not what you think", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpectPacket_WhosePredicateThrows_ReportsThePacketItWasAskedAbout()
    {
        await using var lan = new LoopbackLan(this);
        await lan.StartServer("echo", Props.Create<EchoHandler>());
        var client = lan.StartProbeClient("echo");
        client.ExpectIdentified();
        client.Send(RawPeer.Message("no score field here"));

        // GetString on a field the packet lacks throws: the failure must still show the packet.
        var failure = Assert.Throws<XunitException>(() => client.ExpectPacket("MESSAGE", packet => packet.GetString("SCORE") == "7"));

        Assert.Contains("expected a MESSAGE packet that matches, got MESSAGE", failure.Message, StringComparison.Ordinal);
        Assert.Contains("no score field here", failure.Message, StringComparison.Ordinal);
        Assert.Contains("SCORE", failure.Message, StringComparison.Ordinal);
    }
}

/// <summary>The teardown's socket count is real: a socket a spec forgets makes it fail.</summary>
[Collection(CountedAloneCollection.Name)]
public sealed class LoopbackLanLeakSpec(ITestOutputHelper output) : LanTestKit(null, output)
{
    [Fact]
    public async Task ASocketLeftOpen_FailsTheTeardown_NamingIt()
    {
        var lan = new LoopbackLan(this, countSockets: true);
        await lan.StartServer("leaky", Props.Create<EchoHandler>());
        using var forgotten = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        var failure = await Assert.ThrowsAsync<XunitException>(async () => await lan.DisposeAsync());

        Assert.Contains("sockets leaked", failure.Message, StringComparison.Ordinal);
        Assert.Contains("socket:[", failure.Message, StringComparison.Ordinal);
    }
}
