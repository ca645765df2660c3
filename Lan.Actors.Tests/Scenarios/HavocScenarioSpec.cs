using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Scenarios;

/// <summary>
/// Havoc, as Ranch's tests call it: connection actors are killed at random, ten times a second for five
/// seconds, while clients keep reconnecting. The listener must shrug it all off.
/// </summary>
public sealed class HavocScenarioSpec : LanTestKit
{
    private const int Seed = 7;
    private const int Kills = 50;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);
    private readonly ITestOutputHelper _output;

    public HavocScenarioSpec(ITestOutputHelper output)
        : base("lan.tcp { close-timeout = 500ms, reconnect { min-backoff = 20ms, max-backoff = 100ms, random-factor = 0.2 } }", output) =>
        _output = output;

    [Fact]
    public async Task ConnectionActorsKilledTenTimesASecond_TheListenerKeepsAccepting_AndANewClientConnects()
    {
        _output.WriteLine($"seed {Seed}");
        var random = new Random(Seed);
        await using var lan = new LoopbackLan(this);
        var server = await lan.StartServer("havoc", Props.Create<EchoHandler>());
        var listener = await Sys.ActorSelection(server.Node.Path / "listener").ResolveOne(RemainingOrDefault);
        Watch(listener);
        var clients = Enumerable.Range(1, 5).Select(i => lan.StartProbeClient("havoc", $"victim-{i}")).ToList();
        Assert.All(clients, client => client.ExpectIdentified());

        var killed = 0;
        for (var round = 0; round < Kills; round++)
        {
            var connections = await ConnectionsOf(listener);
            if (connections.Count > 0)
            {
                connections[random.Next(connections.Count)].Tell(Kill.Instance);
                killed++;
            }

            await Task.Delay(Pace);
        }

        _output.WriteLine($"{killed} connection actors killed in {Kills} rounds");
        Assert.True(killed >= Kills / 2, $"only {killed} of {Kills} rounds found a connection to kill: the havoc did not happen");
        ExpectNoMsg(TimeSpan.Zero);

        var newcomer = lan.StartProbeClient("havoc", "newcomer");
        newcomer.ExpectIdentified();
        newcomer.Send(Packet.Create(PacketTypes.Message).Set("TEXT", "after the storm").Build());
        newcomer.ExpectPacket(PacketTypes.Message, echoed => echoed.GetString("TEXT") == "after the storm");
        await AwaitAssertAsync(async () =>
        {
            var peers = await server.Node.Ask<Peers>(GetPeers.Instance, RemainingOrDefault);
            Assert.Equal(6, peers.Connected.Count);
        });
    }

    private async Task<List<IActorRef>> ConnectionsOf(IActorRef listener)
    {
        var found = new List<IActorRef>();
        var probe = CreateTestProbe();
        Sys.ActorSelection(listener.Path / "conn-*").Tell(new Identify("havoc"), probe.Ref);
        // Identify through a wildcard answers once per match; a short quiet period ends the census.
        while (await probe.ReceiveOneAsync(TimeSpan.FromMilliseconds(50)) is ActorIdentity { Subject: { } connection })
        {
            found.Add(connection);
        }

        return found;
    }
}
