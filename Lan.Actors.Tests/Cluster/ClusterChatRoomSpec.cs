using Akka.Actor;
using Akka.Discovery;
using Lan.Actors.Cluster;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Cluster;

/// <summary>
/// One chat room across the nodes of a LAN cluster (open mode, so plain sockets can be its members): lines and members
/// cross nodes, a node that goes takes only its own members, and any node answers CLUSTER_STATE.
/// </summary>
// Alone: several actor systems forming a cluster on two cores must not share them with the parallel specs.
[Collection(CountedAloneCollection.Name)]
public sealed class ClusterChatRoomSpec(ITestOutputHelper output) : LanTestKit(null, output)
{
    [Fact]
    public async Task ALineSaidOnOneNode_ReachesMembersOnTheOther_WhoSeeTheMergedMemberList_AndANodeThatLeavesTakesOnlyItsMembers()
    {
        await using var lan = new ClusterLan();
        var nodes = await Task.WhenAll(lan.Start("n1"), lan.Start("n2"));
        await AwaitAssertAsync(() => Assert.All(nodes, node => Assert.Equal(2, node.Up.Count)), Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(100));

        using var ana = await Member(nodes[0], "ana");
        using var bob = await Member(nodes[1], "bob");
        // ana hears of bob (on the other node) through the bridge's member report; bob was told ana is there.
        await NextAsync(ana, packet => packet.Type == "JOINED" && packet.GetString("NAME") == "bob");

        await ana.SendAsync(RawPeer.Message("hello from n1"));
        var heard = await NextAsync(bob, packet => packet.Type == PacketTypes.Message);
        Assert.Equal("hello from n1", heard.GetString("TEXT"));
        Assert.Equal("ana", heard.GetString("FROM"));

        using var cleo = await RawPeer.ConnectAsync(nodes[1].Peer.LocalEndPoint);
        await cleo.SendAsync(Packet.From(new Hello("cleo-id", "cleo", "lan")));
        var members = await NextAsync(cleo, packet => packet.Type == "MEMBERS");
        Assert.Equal(["ana", "bob"], members.GetString("NAMES").Split('\n').Order(StringComparer.Ordinal));

        // A report that names node 2 but comes from elsewhere (here: this spec's system) is not node 2's: ignored.
        var bridge = await nodes[0].System.ActorSelection("/user/lan-cluster-node/handler/bridge").ResolveOne(TimeSpan.FromSeconds(3));
        bridge.Tell(new ClusterRoomMembers(nodes[1].Address.ToString(), ["mallory"]), TestActor);
        bridge.Tell(new ClusterChatLine(nodes[1].Address.ToString(), "mallory", "I am on node 2"), TestActor);
        await bob.SendAsync(RawPeer.Message("bob on node 2"));
        var next = await NextAsync(ana, packet =>
            (packet.Type == PacketTypes.Message && packet.GetString("TEXT") is "bob on node 2" or "I am on node 2")
            || (packet.Type == "JOINED" && packet.GetString("NAME") == "mallory"));
        Assert.Equal("bob on node 2", next.GetString("TEXT"));

        await nodes[1].System.Terminate();
        // Its members leave as the node closes their connections (Left), or when the node is removed first (NodeLeft).
        var gone = new HashSet<string>(StringComparer.Ordinal);
        while (gone.Count < 2)
        {
            var left = await NextAsync(ana, packet => packet.Type == "LEFT");
            Assert.Contains(left.GetString("REASON"), (string[])["Left", "NodeLeft"]);
            gone.Add(left.GetString("NAME"));
        }

        Assert.Equal(["bob", "cleo"], gone.Order(StringComparer.Ordinal));
        await ana.SendAsync(RawPeer.Message("still here"));
        Assert.Equal("still here", (await NextAsync(ana, packet => packet.Type == PacketTypes.Message)).GetString("TEXT"));
    }

    [Fact]
    public async Task AnyNode_AnswersClusterState_AndAkkaDiscoveryFindsTheNodes_ByTheClusterName()
    {
        await using var lan = new ClusterLan();
        var nodes = await Task.WhenAll(lan.Start("n1"), lan.Start("n2"));
        await AwaitAssertAsync(() => Assert.All(nodes, node => Assert.Equal(2, node.Up.Count)), Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(100));

        using var asker = await RawPeer.ConnectAsync(nodes[0].Peer.LocalEndPoint);
        await asker.SendAsync(Packet.Create(ClusterStateReport.PacketType).Build());
        var report = ClusterStateReport.FromPacket(await NextAsync(asker, packet => packet.Type == ClusterStateReport.PacketType));
        Assert.NotNull(report);
        Assert.Equal(lan.Name, report.Cluster);
        Assert.Equal(nodes.Select(node => node.Address.ToString()).Order(StringComparer.Ordinal), report.Members.Select(member => member.Address).Order(StringComparer.Ordinal));
        Assert.All(report.Members, member => Assert.Equal("Up", member.Status));
        Assert.Empty(report.Unreachable);

        var discovery = Akka.Discovery.Discovery.Get(nodes[0].System).LoadServiceDiscovery(LanServiceDiscovery.MethodName);
        await AwaitAssertAsync(async () =>
        {
            var found = await discovery.Lookup(new Lookup(lan.Name, LanServiceDiscovery.AkkaPortName, "tcp"), TimeSpan.FromSeconds(1));
            Assert.Equal([nodes[1].Address.Port], found.Addresses.Select(target => target.Port));
        }, Dilated(TimeSpan.FromSeconds(10)), TimeSpan.FromMilliseconds(100));
        var lanPorts = await discovery.Lookup(new Lookup(lan.Name), TimeSpan.FromSeconds(1));
        Assert.Equal([nodes[1].Peer.LocalEndPoint.Port], lanPorts.Addresses.Select(target => target.Port));
    }

    private static async Task<RawPeer> Member(ClusterMemberNode node, string name)
    {
        var peer = await RawPeer.ConnectAsync(node.Peer.LocalEndPoint);
        await peer.SendAsync(Packet.From(new Hello(name + "-id", name, "lan")));
        await NextAsync(peer, packet => packet.Type == "JOINED" && packet.GetString("NAME") == name);
        return peer;
    }

    // The packets in between (WELCOME, JOINED, MEMBERS of a busy room) are read past; the socket's own read time-out ends a wait that finds nothing.
    private static async Task<Packet> NextAsync(RawPeer peer, Func<Packet, bool> wanted)
    {
        for (var read = 0; read < 200; read++)
        {
            var packet = await peer.ReadAsync() ?? throw new InvalidOperationException("the connection ended before the packet came");
            if (wanted(packet))
            {
                return packet;
            }
        }

        throw new InvalidOperationException("200 packets came, none of them the one wanted");
    }
}
