using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Lan.Actors.Discovery;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.Security;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Discovery;

/// <summary>
/// Discovery in TLS mode, against an attacker on the same LAN with raw UDP: announcements are signed by the key whose
/// certificate's fingerprint is the announced ID, so nobody can announce another node's ID, tamper with an
/// announcement, replay one, or remove a real server with a forged goodbye. Before this change (commit 563cb5c) no
/// node checked anything, as a node in open mode still does (the last spec): a forged hello claiming Bob's ID was
/// found, and a forged bye lost Bob.
/// </summary>
public sealed class SignedDiscoverySpec : LanTestKit
{
    private static readonly DatagramCodec Codec = new();
    private readonly NodeIdentity _bob = NodeIdentity.CreateEphemeral();
    private readonly NodeIdentity _mallory = NodeIdentity.CreateEphemeral();
    private readonly ITestOutputHelper _output;

    public SignedDiscoverySpec(ITestOutputHelper output)
        : base(
            """
            lan.node.app = signed
            lan.discovery { announce-interval = 1h, expire-after = 2h }
            """, output) => _output = output;

    private DiscoverySettings Discovery => LanNodeSettings.FromConfig(LanConfig).Discovery;

    private IPEndPoint Broadcast => new(IPAddress.Parse("127.255.255.255"), Discovery.Port);

    private static long UnixNow => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private async Task<IActorRef> StartClientAsync()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(ServerFound));
        Sys.EventStream.Subscribe(TestActor, typeof(ServerLost));
        var me = NodeIdentity.CreateEphemeral();
        var actor = Sys.ActorOf(DiscoveryActor.Create(
            Discovery, ProtocolSettings.Default, new NodeSettings("me", "signed", me.Id.ToString()), DiscoveryRole.Client, 0,
            security: new DiscoverySecurity(me, TimeSpan.FromSeconds(30))));
        await StatsAsync(actor);
        return actor;
    }

    private static Task<DiscoveryStats> StatsAsync(IActorRef actor) => actor.Ask<DiscoveryStats>(GetDiscoveryStats.Instance, TimeSpan.FromSeconds(3));

    private static Socket RawUdp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private ServerHello BobsHello(int port = 4000) => new(_bob.Id.ToString(), "bob", "signed", port, Instance: "bob-1");

    private void Send(Socket from, byte[] datagram) => from.SendTo(datagram, Broadcast);

    [Fact]
    public async Task ASignedHello_IsFound_AndFitsADatagramWithRoomForMeta()
    {
        await StartClientAsync();
        using var bob = RawUdp();
        var signed = Codec.Encode(Packet.From(AnnouncementSignature.Sign(BobsHello(), _bob, UnixNow)));
        _output.WriteLine($"a signed SERVER_HELLO without META: {signed.Length} bytes (lan.protocol.max-datagram-size = {ProtocolSettings.Default.MaxDatagramSize})");
        Assert.True(signed.Length <= 1024, $"{signed.Length} bytes");
        bob.SendTo(signed.Span, Broadcast);
        Assert.Equal(_bob.Id.ToString(), ExpectMsg<ServerFound>().Server.Id);
    }

    [Fact]
    public async Task AHelloClaimingBobsId_WithAnotherKey_Tampered_OrUnsigned_IsDroppedAndCounted()
    {
        var client = await StartClientAsync();
        using var mallory = RawUdp();
        // Bob's ID, signed with Mallory's key and carrying her certificate; and her own signed hello with Bob's ID put in.
        var claimed = AnnouncementSignature.Sign(BobsHello(), _mallory, UnixNow);
        var withMalloryKey = AnnouncementSignature.Sign(BobsHello() with { Id = _mallory.Id.ToString() }, _mallory, UnixNow) with { Id = _bob.Id.ToString() };
        // Bob's own hello with the port changed to Mallory's.
        var tampered = AnnouncementSignature.Sign(BobsHello(), _bob, UnixNow) with { Port = 6666 };
        Send(mallory, Codec.Encode(Packet.From(withMalloryKey)).ToArray());
        Send(mallory, Codec.Encode(Packet.From(claimed)).ToArray());
        Send(mallory, Codec.Encode(Packet.From(tampered)).ToArray());
        Send(mallory, Codec.Encode(Packet.From(BobsHello())).ToArray());

        await AwaitAssertAsync(async () =>
        {
            var stats = await StatsAsync(client);
            Assert.Equal((3, 1), (stats.Forged, stats.Unsigned));
        });
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task ARecordedHello_ReplayedAHundredTimes_IsTakenOnce_AndAnOldOneNever()
    {
        var client = await StartClientAsync();
        using var bob = RawUdp();
        var recorded = Codec.Encode(Packet.From(AnnouncementSignature.Sign(BobsHello(), _bob, UnixNow))).ToArray();
        Send(bob, recorded);
        ExpectMsg<ServerFound>();
        var before = (await StatsAsync(client)).DatagramsIn;
        for (var i = 0; i < 100; i++)
        {
            Send(bob, recorded);
        }

        var old = AnnouncementSignature.Sign(new ServerHello(_mallory.Id.ToString(), "old", "signed", 4000), _mallory, UnixNow - 120_000);
        Send(bob, Codec.Encode(Packet.From(old)).ToArray());
        // A busy kernel may drop a few of a burst of datagrams; every one that arrived was refused (0 of N taken).
        await AwaitAssertAsync(async () =>
        {
            var stats = await StatsAsync(client);
            Assert.Equal(stats.DatagramsIn - before, stats.Replayed);
            Assert.True(stats.Replayed >= 90, $"{stats.Replayed} of 101 arrived");
        });
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task AForgedBye_CannotRemoveARealServer_AndItsOwnSignedByeDoes()
    {
        var client = await StartClientAsync();
        using var udp = RawUdp();
        Send(udp, Codec.Encode(Packet.From(AnnouncementSignature.Sign(BobsHello(), _bob, UnixNow))).ToArray());
        ExpectMsg<ServerFound>();

        Send(udp, Codec.Encode(Packet.From(new ServerBye(_bob.Id.ToString()))).ToArray());
        Send(udp, Codec.Encode(Packet.From(AnnouncementSignature.Sign(new ServerBye(_bob.Id.ToString()), _mallory, UnixNow))).ToArray());
        await AwaitAssertAsync(async () =>
        {
            var stats = await StatsAsync(client);
            Assert.Equal((1, 1), (stats.Unsigned, stats.Forged));
        });
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        var realBye = Codec.Encode(Packet.From(AnnouncementSignature.Sign(new ServerBye(_bob.Id.ToString()), _bob, UnixNow + 1))).ToArray();
        Send(udp, realBye);
        Assert.Equal(ServerLostReason.Bye, ExpectMsg<ServerLost>().Reason);
    }

    [Fact]
    public async Task AnswersSignedInOneMillisecond_EachCarryANewerTime_SoNoneIsTakenForAReplay()
    {
        // Twenty askers at once, as when a room full of laptops starts a game: the server signs twenty answers within a
        // few milliseconds. Each must be newer than the last, or a listener that hears two drops the second as replayed.
        var server = Sys.ActorOf(DiscoveryActor.Create(
            Discovery, ProtocolSettings.Default, new NodeSettings("bob", "signed", _bob.Id.ToString()), DiscoveryRole.Server, 4000,
            security: new DiscoverySecurity(_bob, TimeSpan.FromSeconds(30))));
        await StatsAsync(server);
        var askers = Enumerable.Range(2, 4).Select(host =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
            socket.Bind(new IPEndPoint(IPAddress.Parse($"127.0.0.{host}"), 0));
            return socket;
        }).ToList();
        try
        {
            // Five each: lan.discovery.replies-per-source answers five a second from one address.
            foreach (var asker in askers)
            {
                for (var i = 0; i < 5; i++)
                {
                    Send(asker, Codec.Encode(Packet.From(new ClientHello($"asker-{i}", "asker", "signed"))).ToArray());
                }
            }

            // Every answer, taken as one listener that heard them all would take them: in the order they were signed.
            var answers = new List<ServerHello>();
            foreach (var asker in askers)
            {
                for (var i = 0; i < 5; i++)
                {
                    answers.Add(await ReceiveAsync<ServerHello>(asker, PacketTypes.ServerHello));
                }
            }

            var verifier = new AnnouncementVerifier(TimeSpan.FromSeconds(30), 16);
            foreach (var answer in answers.OrderBy(answer => answer.Ts))
            {
                Assert.Equal(AnnouncementCheck.Valid, verifier.Check(answer, UnixNow));
            }
        }
        finally
        {
            askers.ForEach(asker => asker.Dispose());
        }
    }

    [Fact]
    public async Task AServerInTlsMode_SignsWhatItAnnounces_AndItsByeVerifies()
    {
        var verifier = new AnnouncementVerifier(TimeSpan.FromSeconds(30), 16);
        using var listen = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        listen.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listen.Bind(Broadcast);
        var server = Sys.ActorOf(DiscoveryActor.Create(
            Discovery, ProtocolSettings.Default, new NodeSettings("bob", "signed", _bob.Id.ToString()), DiscoveryRole.Server, 4000,
            security: new DiscoverySecurity(_bob, TimeSpan.FromSeconds(30))));
        var hello = await ReceiveAsync<ServerHello>(listen, PacketTypes.ServerHello);
        Assert.Equal(AnnouncementCheck.Valid, verifier.Check(hello, UnixNow));
        await server.Ask<LeftNetwork>(LeaveNetwork.Instance, TimeSpan.FromSeconds(3));
        var bye = await ReceiveAsync<ServerBye>(listen, PacketTypes.ServerBye);
        Assert.Equal(AnnouncementCheck.Valid, verifier.Check(bye, UnixNow));
    }

    [Fact]
    public async Task InOpenMode_TheSameForgeriesAreTaken_WhichIsWhyTlsIsTheDefault()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(ServerFound));
        Sys.EventStream.Subscribe(TestActor, typeof(ServerLost));
        var open = Sys.ActorOf(DiscoveryActor.Create(Discovery, ProtocolSettings.Default, new NodeSettings("me", "signed", "me-id"), DiscoveryRole.Client, 0));
        await StatsAsync(open);
        using var mallory = RawUdp();
        Send(mallory, Codec.Encode(Packet.From(BobsHello(port: 6666))).ToArray());
        Assert.Equal(6666, ExpectMsg<ServerFound>().Server.EndPoint.Port);
        Send(mallory, Codec.Encode(Packet.From(new ServerBye(_bob.Id.ToString()))).ToArray());
        Assert.Equal(ServerLostReason.Bye, ExpectMsg<ServerLost>().Reason);
    }

    private static async Task<T> ReceiveAsync<T>(Socket socket, string type)
        where T : class, ITypedPacket<T>
    {
        var buffer = new byte[2048];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
            var packet = Codec.Decode(buffer.AsSpan(0, read));
            if (packet.Type == type)
            {
                return packet.As<T>();
            }
        }
    }
}
