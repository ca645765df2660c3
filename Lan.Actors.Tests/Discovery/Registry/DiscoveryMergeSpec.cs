using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.Discovery.Registry;
using Lan.Actors.TestKit;
using Xunit.Abstractions;
using Lan.Actors.Discovery;

namespace Lan.Actors.Tests.Discovery.Registry;

/// <summary>
/// One discovery actor fed by both sources: registry lists told to it as the link would tell them, and
/// SERVER_HELLO / SERVER_BYE datagrams broadcast on the spec's own UDP port. Every expectation is on the order
/// of what the node is told, never on how long something took.
/// </summary>
public sealed class DiscoveryMergeSpec : LanTestKit
{
    private readonly Socket _udp = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
    private readonly IActorRef _discovery;

    public DiscoveryMergeSpec(ITestOutputHelper output)
        : base("lan.node { app = merge-spec, id = seeker-id }\nlan.discovery { announce-interval = 200ms, expire-after = 2s }", output)
    {
        _udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var settings = LanNodeSettings.FromConfig(LanConfig);
        _discovery = Sys.ActorOf(DiscoveryActor.Create(settings.Discovery, settings.Protocol, settings.Node, DiscoveryRole.Client, 0, owner: TestActor));
        // Answered after PreStart: the UDP socket is bound.
        _discovery.Tell(GetDiscoveryStats.Instance, TestActor);
        ExpectMsg<DiscoveryStats>();
    }

    private IPEndPoint Broadcast => new(IPAddress.Parse("127.255.255.255"), LanConfig.GetInt("lan.discovery.port"));

    private static ServerInfo Listed(string name, int port, string instance = "i1") =>
        new(name + "-id", instance, name, "merge-spec", 1, new IPEndPoint(IPAddress.Loopback, port), new Dictionary<string, string>());

    private void Registry(params ServerInfo[] servers) => _discovery.Tell(new RegistryListed(servers));

    private void Datagram(Packet packet) => _udp.SendTo(new DatagramCodec().Encode(packet).Span, Broadcast);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _udp.Dispose();
        }

        base.Dispose(disposing);
    }

    [Fact]
    public void AServerFromBothSources_IsOneServer_LostOnlyWhenNeitherHasIt()
    {
        Registry(Listed("x", 5000));
        Assert.Equal(5000, ExpectMsg<ServerFound>().Server.EndPoint.Port);

        // Broadcast hears it at another port: what broadcast hears wins, as an update of the same server.
        Datagram(Packet.From(new ServerHello("x-id", "x", "merge-spec", 5001, 1, null, "i1")));
        var updated = ExpectMsg<ServerUpdated>();
        Assert.Equal((5001, false), (updated.Server.EndPoint.Port, updated.Restarted));

        // The registry drops it, broadcast still has it: not lost. The next thing told is y's arrival.
        Registry();
        Registry(Listed("y", 6000));
        Assert.Equal("y", ExpectMsg<ServerFound>().Server.Name);

        // Broadcast falls silent too: now x is lost, and y, which only the registry has, stays.
        var lost = ExpectMsg<ServerLost>(TimeSpan.FromSeconds(10));
        Assert.Equal(("x", ServerLostReason.Expired), (lost.Server.Name, lost.Reason));
        Registry();
        Assert.Equal("y", ExpectMsg<ServerLost>().Server.Name);
    }

    [Fact]
    public void AServerThatSaidBye_IsNotBroughtBack_ByARegistryListThatStillHasIt()
    {
        Registry(Listed("z", 7000, "z1"));
        ExpectMsg<ServerFound>();
        Datagram(Packet.From(new ServerBye("z-id")));
        Assert.Equal(ServerLostReason.Bye, ExpectMsg<ServerLost>().Reason);

        Registry(Listed("z", 7000, "z1"), Listed("w", 7100));
        Assert.Equal("w", ExpectMsg<ServerFound>().Server.Name);

        // Restarted, with a new INSTANCE, it is found again.
        Registry(Listed("z", 7000, "z2"), Listed("w", 7100));
        var again = ExpectMsg<ServerFound>().Server;
        Assert.Equal(("z", "z2"), (again.Name, again.Instance));
    }

    [Fact]
    public void ItsOwnEntry_AndAnotherAppsServers_AreIgnored()
    {
        Registry(
            new ServerInfo("seeker-id", "i", "me", "merge-spec", 1, new IPEndPoint(IPAddress.Loopback, 1), new Dictionary<string, string>()),
            Listed("other", 8000) with { App = "another-app" },
            Listed("v", 8100));
        Assert.Equal("v", ExpectMsg<ServerFound>().Server.Name);
    }
}
