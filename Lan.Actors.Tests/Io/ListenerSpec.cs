using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>How a server's listener finds its peers by id for <c>SendTo</c>, <c>Multicast</c> and <c>Kick</c>, lists them, and stops.</summary>
public sealed class ListenerSpec(ITestOutputHelper output) : LanTestKit("lan.tcp { port = 0, close-timeout = 300ms, max-connections = 4 }", output)
{
    private Task<LanServer> StartServer() =>
        LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(TestActor));

    private async Task<(RawPeer Peer, IActorRef Connection)> ConnectAsync(LanServer server, string? helloId = null)
    {
        var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var connection = ExpectMsg<Connected>().Connection;
        if (helloId is not null)
        {
            await peer.SendAsync(Packet.From(new Hello(helloId, helloId, "lan")));
            Assert.Equal(PacketTypes.Welcome, (await peer.ReadAsync())!.Type);
            ExpectMsg<Identified>();
        }

        return (peer, connection);
    }

    // Log holes are rendered as plain text (PlainLogMessageFormatter): no quotes around a value.
    private void ExpectDropped(string id, Action command, string what = "Send") =>
        EventFilter.Warning($"no connected peer with id {id}; {what} dropped").ExpectOne(command);

    [Fact]
    public async Task Multicast_ReachesEachListedPeer_AndNoOther()
    {
        var server = await StartServer();
        var (ana, _) = await ConnectAsync(server, "ana");
        var (bob, _) = await ConnectAsync(server, "bob");
        var (eve, _) = await ConnectAsync(server, "eve");
        server.Node.Tell(new Multicast(["ana", "eve"], RawPeer.Message("not for bob")));
        server.Node.Tell(new SendToAll(RawPeer.Message("for all")));
        Assert.Equal("not for bob", (await ana.ReadAsync())!.GetString("TEXT"));
        Assert.Equal("not for bob", (await eve.ReadAsync())!.GetString("TEXT"));
        Assert.Equal("for all", (await bob.ReadAsync())!.GetString("TEXT"));
    }

    [Fact]
    public async Task SendTo_AnUnknownId_IsLoggedAndDropped()
    {
        var server = await StartServer();
        ExpectDropped("ghost", () => server.Node.Tell(new SendTo("ghost", RawPeer.Message("to nobody"))));
        ExpectDropped("ghost", () => server.Node.Tell(new Kick("ghost")), "CloseAs");
    }

    [Fact]
    public async Task APeersAnonymousId_NamesItOnlyUntilItsHello()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        server.Node.Tell(new SendTo("anon-1", RawPeer.Message("as anon-1")));
        Assert.Equal("as anon-1", (await peer.ReadAsync())!.GetString("TEXT"));

        await peer.SendAsync(Packet.From(new Hello("ana-id", "ana", "lan")));
        Assert.Equal(PacketTypes.Welcome, (await peer.ReadAsync())!.Type);
        ExpectMsg<Identified>();
        ExpectDropped("anon-1", () => server.Node.Tell(new SendTo("anon-1", RawPeer.Message("lost"))));
        server.Node.Tell(new SendTo("ana-id", RawPeer.Message("as ana")));
        Assert.Equal("as ana", (await peer.ReadAsync())!.GetString("TEXT"));
    }

    [Fact]
    public async Task APeerThatLeft_CanNoLongerBeAddressed()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server, "gone");
        peer.Reset();
        ExpectMsg<Disconnected>();
        ExpectDropped("gone", () => server.Node.Tell(new SendTo("gone", RawPeer.Message("lost"))));
    }

    [Fact]
    public async Task TwoPeersWithOneId_TheLaterKeepsIt_EvenWhenTheEarlierLeaves()
    {
        var server = await StartServer();
        var (earlier, _) = await ConnectAsync(server, "twin");
        var (later, _) = await ConnectAsync(server, "twin");
        earlier.Reset();
        ExpectMsg<Disconnected>();
        server.Node.Tell(new SendTo("twin", RawPeer.Message("to the one still here")));
        Assert.Equal("to the one still here", (await later.ReadAsync())!.GetString("TEXT"));
    }

    [Fact]
    public async Task GetPeers_ListsPeersInTheOrderTheyConnected()
    {
        var server = await StartServer();
        // Held until the end: a peer left to the GC would be closed by its finalizer.
        var peers = new List<RawPeer>();
        foreach (var id in new[] { "first", "second", "third" })
        {
            peers.Add((await ConnectAsync(server, id)).Peer);
        }

        server.Node.Tell(GetPeers.Instance);
        Assert.Equal(["first", "second", "third"], ExpectMsg<Peers>().Connected.Select(stats => stats.Peer.Id));
        peers.ForEach(peer => peer.Dispose());
    }

    [Fact]
    public async Task GetPeers_WithNoPeers_IsAnEmptyList()
    {
        var server = await StartServer();
        server.Node.Tell(GetPeers.Instance);
        Assert.Empty(ExpectMsg<Peers>().Connected);
    }

    [Fact]
    public async Task SendToAll_RepliesToRefusalsGoToTheCommandsSender()
    {
        var server = await StartServer();
        using var peer = (await ConnectAsync(server)).Peer;
        var huge = Packet.Create("BLOB").WithContent(new byte[17 << 20]).Build();
        server.Node.Tell(new SendToAll(huge), TestActor);
        Assert.Equal(SendRefusal.TooLarge, ExpectMsg<SendRefused>().Reason);
        server.Node.Tell(new SendTo("anon-1", huge), TestActor);
        Assert.Equal(SendRefusal.TooLarge, ExpectMsg<SendRefused>().Reason);
    }

    [Fact]
    public async Task StopAsync_WithNoPeers_StopsTheNodeAtOnce()
    {
        var server = await StartServer();
        Watch(server.Node);
        await server.StopAsync(TimeSpan.FromSeconds(10));
        ExpectTerminated(server.Node);
    }

    [Fact]
    public async Task APortInUse_FailsTheStart_NamingTheAddressAndTheSettings()
    {
        var first = await StartServer();
        var settings = LanNodeSettings.FromConfig(LanConfig);
        var taken = settings with { Tcp = settings.Tcp with { Port = first.LocalEndPoint.Port } };
        var error = await Assert.ThrowsAsync<ListenerBindException>(() => LanNode.StartServerAsync(Sys, taken, Forwarder.To(TestActor), new ServerOptions { Name = "second" }));
        Assert.True(error.PortInUse);
        Assert.Equal(
            $"port {first.LocalEndPoint.Port} is in use on 127.0.0.1 (lan.tcp.port): choose another port, or 0 for any free one", error.Message);
    }

    [Fact]
    public async Task PastMaxConnections_TheNextIsReset_AndNeverReachesTheHandler()
    {
        var server = await StartServer();
        var peers = new List<RawPeer>();
        for (var i = 0; i < 4; i++)
        {
            peers.Add((await ConnectAsync(server)).Peer);
        }

        // The kernel completes the handshake before the listener sees the socket, so the reset reaches the client
        // either while its connect completes or at its first read.
        var error = await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(async () =>
        {
            using var refused = await RawPeer.ConnectAsync(server.LocalEndPoint);
            await refused.Socket.ReceiveAsync(new byte[1], System.Net.Sockets.SocketFlags.None);
        });
        Assert.Equal(System.Net.Sockets.SocketError.ConnectionReset, error.SocketErrorCode);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        foreach (var peer in peers)
        {
            peer.Dispose();
        }
    }
}
