using Akka.Actor;
using Lan.Actors.Cluster;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Cluster;

/// <summary>What the cluster room's bridge takes from other nodes: only what comes from a member.</summary>
public sealed class ClusterRoomBridgeSpec() : Akka.TestKit.Xunit2.TestKit(ClusterLan.AloneOnLoopback)
{
    [Fact]
    public void LinesFromPlacesThatAreNoMembers_AreNotHeard_SoTheyKeepNoRateEntry()
    {
        // Before (checked on 4b718aa): every line from a made-up place was heard, and each new place kept a rate entry
        // for as long as the node ran.
        var bridge = ChildActorOf(ClusterRoomBridge.Create("den"));
        var provider = ((ExtendedActorSystem)Sys).Provider;
        for (var i = 1; i <= 200; i++)
        {
            var place = new Address("akka.tcp", Sys.Name, "127.0.0.7", 4000 + i);
            var forger = provider.ResolveActorRef(new RootActorPath(place) / "user" / "bridge");
            bridge.Tell(new ClusterChatLine(place.ToString(), "alice", $"line {i}"), forger);
        }

        // The bridge answers in order: once it has answered this, it has taken every line before it.
        var connection = CreateTestProbe();
        bridge.Tell(new Received(connection.Ref, Packet.Create(ClusterStateReport.PacketType).Build()), connection.Ref);
        connection.ExpectMsg<Send>();
        while (HasMessages)
        {
            Assert.IsNotType<RemoteLineHeard>(ReceiveOne(TimeSpan.Zero));
        }
    }
}
