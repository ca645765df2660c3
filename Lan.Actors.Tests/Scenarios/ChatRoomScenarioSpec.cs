using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Scenarios;

/// <summary>A chat room with five members over loopback: one vanishes, the others are told and chat on.</summary>
public sealed class ChatRoomScenarioSpec(ITestOutputHelper output) : LanTestKit("lan.tcp.close-timeout = 500ms", output)
{
    private static readonly string[] Names = ["alice", "bob", "carol", "dave", "erin"];

    [Fact]
    public async Task OneOfFiveMembersDrops_TheOthersSeeItLeave_AndGoOnChatting()
    {
        await using var lan = new LoopbackLan(this);
        await lan.StartServer("room", Props.Create<ChatRoomHandler>());
        var members = new List<PacketProbe>();
        foreach (var name in Names)
        {
            // One at a time, so that who hears which JOINED is exact: everyone already in the room, and the newcomer.
            var member = lan.StartProbeClient("room", name);
            member.ExpectIdentified();
            if (members.Count > 0)
            {
                member.ExpectPacket("MEMBERS", here => here.GetString("NAMES") == string.Join('\n', members.Select((_, i) => Names[i])));
            }

            members.Add(member);
            Assert.All(members, m => m.ExpectPacket("JOINED", joined => joined.GetString("NAME") == name));
        }

        var carol = members[2];
        await lan.DropClient(carol.Client!);
        var stayed = members.Where(member => member != carol).ToList();
        Assert.All(stayed, member => member.ExpectPacket("LEFT", left => left.GetString("NAME") == "carol" && left.GetString("REASON") == nameof(DisconnectReason.Dropped)));

        stayed[0].Send(Packet.Create(PacketTypes.Message).Set("TEXT", "carol is gone, we go on").Build());
        Assert.All(stayed, member => member.ExpectPacket(
            PacketTypes.Message, message => message.GetString("FROM") == "alice" && message.GetString("TEXT") == "carol is gone, we go on"));
        carol.ExpectNoPacket(TimeSpan.FromMilliseconds(200));
    }
}
