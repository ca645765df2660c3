using System.Net;
using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Handlers;

/// <summary>A chat room with a bridge: what other places report is shown to its members, and nothing they report can break it.</summary>
public sealed class ChatRoomBridgeSpec(ITestOutputHelper output) : LanTestKit(null, output)
{
    [Fact]
    public void RemoteMembersAndLines_ReachLocalMembers_AndANullNameFromAnotherNode_DoesNotRestartTheRoom()
    {
        var bridge = CreateTestProbe();
        var room = Sys.ActorOf(Props.Create(() => new ChatRoomHandler(Props.Create(() => new Relay(bridge.Ref)))));
        var ana = CreateTestProbe();
        room.Tell(new Identified(ana.Ref, new PeerInfo("ana-id", "ana", new IPEndPoint(IPAddress.Loopback, 1), true)));
        Assert.Equal("JOINED", ana.ExpectMsg<Send>().Packet.Type);
        Assert.Equal(["ana"], bridge.ExpectMsg<RoomMembersChanged>().Names);

        // Another node's report is relayed as it came: a null among the names (Akka.Remote's JSON allows it) is skipped.
        room.Tell(new RemoteMembersHeard("node-2", ["bob", null!, "bob", "\u001b[2Jcleo"]));
        var joined = new[] { ana.ExpectMsg<Send>().Packet, ana.ExpectMsg<Send>().Packet };
        Assert.Equal(["JOINED", "JOINED"], joined.Select(packet => packet.Type));
        Assert.Equal(["bob", "[2Jcleo"], joined.Select(packet => packet.GetString("NAME")));

        room.Tell(new RemoteLineHeard(null!, "still one room"));
        var line = ana.ExpectMsg<Send>().Packet;
        Assert.Equal("still one room", line.GetString("TEXT"));
        Assert.Equal("anon", line.GetString("FROM"));

        room.Tell(new RemotePlaceGone("node-2", "NodeLeft"));
        var left = new[] { ana.ExpectMsg<Send>().Packet, ana.ExpectMsg<Send>().Packet };
        Assert.All(left, packet => Assert.Equal("NodeLeft", packet.GetString("REASON")));
    }

    /// <summary>The bridge the room makes: hands what the room tells it to the spec's probe.</summary>
    private sealed class Relay : ReceiveActor
    {
        public Relay(IActorRef probe) => ReceiveAny(message => probe.Forward(message));
    }
}
