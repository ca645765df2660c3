using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Protocol;
using Xunit.Abstractions;
using Lan.Actors.Discovery;
using Lan.Actors.Tests.Io;

namespace Lan.Actors.Tests.Discovery;

/// <summary>
/// Discovery on loopback: every datagram goes to 127.255.255.255 on a UDP port of this spec's own, so
/// nothing leaves the host and specs running side by side never hear each other.
/// </summary>
public sealed class DiscoverySpec : LanTestKit
{
    private readonly ITestOutputHelper _output;

    public DiscoverySpec(ITestOutputHelper output)
        : base(
            """
            lan.node.app = discovery-spec
            lan.tcp { port = 0, close-timeout = 300ms }
            lan.discovery { announce-interval = 200ms, expire-after = 1s }
            """, output) => _output = output;

    private LanNodeSettings Settings => LanNodeSettings.FromConfig(LanConfig);

    private LanNodeSettings Named(string name) => Settings with { Node = Settings.Node with { Name = name, Id = name + "-id" } };

    private void ListenToDiscovery()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(ServerFound));
        Sys.EventStream.Subscribe(TestActor, typeof(ServerUpdated));
        Sys.EventStream.Subscribe(TestActor, typeof(ServerLost));
    }

    private Task<LanServer> StartServer(string name) =>
        LanNode.StartServerAsync(Sys, Named(name), Props.Create<EchoHandler>(), new ServerOptions { Name = name });

    // Discovery starts once the listener is bound; an answer to a question proves its socket is bound too.
    private static async Task<LanServer> Listening(Task<LanServer> starting)
    {
        var server = await starting;
        await server.Node.Ask<DiscoveryStats>(GetDiscoveryStats.Instance, TimeSpan.FromSeconds(5));
        return server;
    }

    private LanClient StartClient(string name = "seeker", LanNodeSettings? settings = null) =>
        LanNode.StartClient(Sys, settings ?? Named(name), Forwarder.To(TestActor), name);

    private static Socket RawUdp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private IPEndPoint Broadcast => new(IPAddress.Parse("127.255.255.255"), Settings.Discovery.Port);

    [Fact]
    public async Task AClientStartedAfterTheServer_FindsIt_WithItsNameAndTcpPort()
    {
        ListenToDiscovery();
        var server = await StartServer("lobby");
        StartClient();
        var found = FishForMessage<ServerFound>(_ => true).Server;
        Assert.Equal("lobby", found.Name);
        Assert.Equal("lobby-id", found.Id);
        Assert.Equal(server.LocalEndPoint.Port, found.EndPoint.Port);
        Assert.Equal(IPAddress.Loopback, found.EndPoint.Address);
        Assert.NotEmpty(found.Instance);
    }

    [Fact]
    public async Task AServerStartedAfterTheClient_IsFound_ByItsAnnouncement()
    {
        ListenToDiscovery();
        StartClient();
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        await StartServer("late");
        Assert.Equal("late", FishForMessage<ServerFound>(_ => true).Server.Name);
    }

    [Fact]
    public async Task AServerThatStopsCleanly_IsLostAtOnce_ByItsBye()
    {
        ListenToDiscovery();
        var server = await StartServer("leaving");
        StartClient();
        FishForMessage<ServerFound>(_ => true);
        await server.StopAsync(TimeSpan.FromSeconds(10));
        var lost = FishForMessage<ServerLost>(_ => true);
        Assert.Equal(ServerLostReason.Bye, lost.Reason);
        Assert.Equal("leaving", lost.Server.Name);
    }

    [Fact]
    public void AServerThatFallsSilent_IsLost_AfterExpireAfter_AndARestartIsSeenAsANewInstance()
    {
        ListenToDiscovery();
        StartClient();
        using var fake = RawUdp();
        void Announce(string instance, Dictionary<string, string>? meta = null) =>
            fake.SendTo(new DatagramCodec().Encode(Packet.From(new ServerHello("ghost-id", "ghost", "discovery-spec", 4000, 1, meta, instance))).Span, Broadcast);

        // The client's socket binds a moment after StartClient returns: the fake server announces until heard.
        ServerFound? found = null;
        for (var attempt = 0; attempt < 50 && found is null; attempt++)
        {
            Announce("first");
            found = ReceiveOne(TimeSpan.FromMilliseconds(100)) as ServerFound;
        }

        Assert.Equal("first", found?.Server.Instance);
        Announce("first", new Dictionary<string, string> { ["PLAYERS"] = "3" });
        var updated = FishForMessage<ServerUpdated>(_ => true);
        Assert.False(updated.Restarted);
        Assert.Equal("3", updated.Server.Meta["PLAYERS"]);
        Announce("second", new Dictionary<string, string> { ["PLAYERS"] = "3" });
        Assert.True(FishForMessage<ServerUpdated>(_ => true).Restarted);

        // Killed: no BYE, no more announcements.
        var lost = FishForMessage<ServerLost>(_ => true, TimeSpan.FromSeconds(5));
        Assert.Equal(ServerLostReason.Expired, lost.Reason);
    }

    [Fact]
    public async Task SetMeta_IsAnnouncedAtOnce()
    {
        ListenToDiscovery();
        var server = await StartServer("room");
        StartClient();
        FishForMessage<ServerFound>(_ => true);
        server.Node.Tell(new SetMeta(new Dictionary<string, string> { ["PLAYERS"] = "ana,bob" }));
        Assert.Equal("ana,bob", FishForMessage<ServerUpdated>(_ => true).Server.Meta["PLAYERS"]);
    }

    [Fact]
    public async Task TheFirstSeedsBareClientHello_WithNoIdAndNoApp_IsAnswered()
    {
        var server = await Listening(StartServer("seed-compatible"));
        using var seed = RawUdp();
        seed.ReceiveTimeout = 5000;
        seed.SendTo(ProtocolVectors.SeedClientHelloDatagram.Bytes, Broadcast);
        var buffer = new byte[2048];
        var answer = new DatagramCodec().Decode(buffer.AsSpan(0, seed.Receive(buffer))).As<ServerHello>();
        Assert.Equal("seed-compatible", answer.Name);
        Assert.Equal(server.LocalEndPoint.Port, answer.Port);
    }

    [Fact]
    public async Task AClientHelloWithNoApp_IsAnswered_ButOneOfAnotherApp_IsNot()
    {
        var server = await Listening(StartServer("answering"));
        using var seed = RawUdp();
        seed.ReceiveTimeout = 5000;
        seed.SendTo("{\"TYPE\":\"CLIENT_HELLO\",\"ID\":\"seed-client\"}"u8, Broadcast);
        var buffer = new byte[2048];
        var answer = new DatagramCodec().Decode(buffer.AsSpan(0, seed.Receive(buffer))).As<ServerHello>();
        Assert.Equal("answering", answer.Name);
        Assert.Equal(server.LocalEndPoint.Port, answer.Port);

        using var stranger = RawUdp();
        stranger.ReceiveTimeout = 1000;
        stranger.SendTo(new DatagramCodec().Encode(Packet.From(new ClientHello("x", "x", "another-app"))).Span, Broadcast);
        var error = Assert.Throws<SocketException>(() => stranger.Receive(buffer));
        Assert.Equal(SocketError.TimedOut, error.SocketErrorCode);
    }

    [Fact]
    public async Task MalformedDatagrams_AreCountedAndDropped_AndDiscoveryCarriesOn()
    {
        var server = await Listening(StartServer("sturdy"));
        using var vandal = RawUdp();
        foreach (var junk in new[] { "not json"u8.ToArray(), "[]"u8.ToArray(), "{\"TYPE\":\"CLIENT_HELLO\",\"ID\":5}"u8.ToArray(), "{\"TYPE\":\"CLIENT_HELLO\",\"APP\":5}"u8.ToArray(), new byte[1500] })
        {
            vandal.SendTo(junk, Broadcast);
        }

        await AwaitAssertAsync(async () =>
        {
            var stats = await server.Node.Ask<DiscoveryStats>(GetDiscoveryStats.Instance, TimeSpan.FromSeconds(3));
            Assert.Equal(5, stats.Malformed);
        });
        ListenToDiscovery();
        StartClient();
        Assert.Equal("sturdy", FishForMessage<ServerFound>(_ => true).Server.Name);
    }

    [Fact]
    public async Task AFloodOfClientHellos_IsNotAmplified_AndARealClientStillFindsTheServer()
    {
        var server = await Listening(StartServer("flooded"));
        using var flooder = RawUdp();
        var hello = new DatagramCodec().Encode(Packet.From(new ClientHello("flooder", null, "discovery-spec"))).ToArray();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        for (var i = 0; i < 100_000 && DateTime.UtcNow < deadline; i++)
        {
            flooder.SendTo(hello, Broadcast);
        }

        ListenToDiscovery();
        StartClient();
        Assert.Equal("flooded", FishForMessage<ServerFound>(_ => true, TimeSpan.FromSeconds(2)).Server.Name);
        var stats = await server.Node.Ask<DiscoveryStats>(GetDiscoveryStats.Instance, TimeSpan.FromSeconds(3));
        _output.WriteLine($"flood: {stats.DatagramsIn:N0} datagrams ({stats.BytesIn:N0} bytes) in, {stats.DatagramsOut:N0} ({stats.BytesOut:N0} bytes) out, {stats.RepliesLimited:N0} hellos left unanswered");
        Assert.True(stats.BytesOut <= stats.BytesIn, $"{stats.BytesOut} bytes out for {stats.BytesIn} in");
        Assert.True(stats.RepliesLimited > 0);
    }

    [Fact]
    public async Task ADiscoveryActorThatDies_ComesBackAfterItsBackoff_AndTheTcpSideStaysUp()
    {
        var server = await StartServer("resilient");
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        // The back-off supervisor starts its child after the node is bound, so the child may not exist yet.
        IActorRef udp = ActorRefs.Nobody;
        await AwaitAssertAsync(async () => udp = await Sys.ActorSelection(server.Node.Path / "discovery" / "udp").ResolveOne(TimeSpan.FromSeconds(1)));
        Watch(udp);
        udp.Tell(Kill.Instance);
        ExpectTerminated(udp);

        ListenToDiscovery();
        StartClient();
        Assert.Equal("resilient", FishForMessage<ServerFound>(_ => true, TimeSpan.FromSeconds(5)).Server.Name);
        await peer.SendAsync(RawPeer.Message("still echoing"));
        Assert.Equal("still echoing", (await peer.ReadAsync())!.GetString("TEXT"));
    }

    [Fact]
    public async Task AutoConnectFirst_ConnectsToTheServerItFinds()
    {
        var server = await StartServer("target");
        StartClient("auto", Named("auto") with { AutoConnect = new AutoConnect(true, null) });
        var connected = ExpectMsg<Connected>(TimeSpan.FromSeconds(5));
        Assert.Equal(server.LocalEndPoint.Port, connected.Peer.EndPoint.Port);
    }

    [Fact]
    public async Task AutoConnectByName_PicksThatServer_AndNotAnother()
    {
        await StartServer("other");
        var wanted = await StartServer("wanted");
        StartClient("picky", Named("picky") with { AutoConnect = new AutoConnect(true, "wanted") });
        var connected = ExpectMsg<Connected>(TimeSpan.FromSeconds(5));
        Assert.Equal(wanted.LocalEndPoint.Port, connected.Peer.EndPoint.Port);
        ExpectMsg<Identified>();
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }
}
