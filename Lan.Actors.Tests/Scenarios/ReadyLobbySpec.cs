using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Scenarios;

/// <summary>A game lobby: READY marks the sender ready, and everyone is told how many are.</summary>
public sealed class ReadyLobby : ReceiveActor
{
    private readonly HashSet<IActorRef> _members = [];
    private readonly HashSet<IActorRef> _ready = [];

    public ReadyLobby()
    {
        Receive<Identified>(identified => _members.Add(identified.Connection));
        Receive<Received>(received => received.Packet.Type == "READY", received =>
        {
            _ready.Add(received.Connection);
            TellEveryone();
        });
        Receive<Disconnected>(disconnected =>
        {
            _members.Remove(disconnected.Connection);
            if (_ready.Remove(disconnected.Connection))
            {
                TellEveryone();
            }
        });
        ReceiveAny(_ => { });
    }

    private void TellEveryone()
    {
        var count = new Send(Packet.Create("COUNT").Set("READY", _ready.Count.ToString()).Build());
        foreach (var member in _members)
        {
            member.Tell(count);
        }
    }
}

public sealed class ReadyLobbySpec(ITestOutputHelper output) : LanTestKit(null, output)
{
    private static Packet Ready => Packet.Create("READY").Build();

    [Fact]
    public async Task APlayerWhoVanishes_IsNoLongerCountedAsReady()
    {
        await using var lan = new LoopbackLan(this);
        await lan.StartServer("lobby", Props.Create<ReadyLobby>());
        var ann = lan.StartProbeClient("lobby", "ann");
        var bob = lan.StartProbeClient("lobby", "bob");
        ann.ExpectIdentified();
        bob.ExpectIdentified();

        ann.Send(Ready);
        ann.ExpectPacket("COUNT", count => count.GetString("READY") == "1");
        bob.ExpectPacket("COUNT", count => count.GetString("READY") == "1");

        await lan.DropClient(ann.Client!);
        bob.ExpectPacket("COUNT", count => count.GetString("READY") == "0");
    }

    [Fact]
    public async Task AfterTheServerRestarts_PlayersAreBack_AndNobodyIsReadyYet()
    {
        await using var lan = new LoopbackLan(this);
        var server = await lan.StartServer("lobby", Props.Create<ReadyLobby>());
        var ann = lan.StartProbeClient("lobby", "ann");
        ann.ExpectIdentified();
        ann.Send(Ready);
        ann.ExpectPacket("COUNT", count => count.GetString("READY") == "1");

        await lan.RestartServer(server);
        ann.ExpectDisconnected();
        ann.ExpectIdentified();
        ann.Send(Ready);
        ann.ExpectPacket("COUNT", count => count.GetString("READY") == "1");
    }
}
