using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Scenarios;

/// <summary>
/// The first seed's whole scenario: one server, twenty clients that chat, leave, vanish or are thrown out,
/// all over real loopback sockets with discovery. Every connection must end for the reason that matches what
/// the two sides did, and nothing may be left over.
/// </summary>
[Collection(CountedAloneCollection.Name)]
public sealed class SeedScenarioSpec : LanTestKit
{
    private readonly ITestOutputHelper _output;

    public SeedScenarioSpec(ITestOutputHelper output)
        : base("lan.tcp { close-timeout = 500ms, reconnect { min-backoff = 20ms, max-backoff = 200ms, random-factor = 0.2 } }", output) =>
        _output = output;

    private const int Clients = 20;
    private const int Seed = 20261125;

    [Fact]
    public async Task TwentyChaosClients_EveryConnectionEndsForWhatItsSidesDid_AndNothingIsLeft()
    {
        _output.WriteLine($"seed {Seed}");
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events.Ref, typeof(ChaosSessionEnded));
        Sys.EventStream.Subscribe(events.Ref, typeof(ChaosConnectionEnded));
        var sessions = new List<ChaosSessionEnded>();
        var connections = new List<ChaosConnectionEnded>();

        await using (var lan = new LoopbackLan(this, countSockets: true))
        {
            var server = await lan.StartServer("seed-server", ChaosServerHandler.Create(new ChaosServerOptions(CloseProbability: 0.1, Seed)));
            for (var i = 1; i <= Clients; i++)
            {
                var name = $"client-{i:D2}";
                lan.StartClient(ChaosClientHandler.Create(new ChaosClientOptions(name, Messages: 10, DropProbability: 0.1, Seed + i)), "seed-server", name);
            }

            // A client is finished when it has said goodbye or vanished; a server's close makes it come back.
            while (sessions.Count(session => session.Action != ChaosClientAction.None) < Clients || connections.Count < sessions.Count)
            {
                switch (events.ReceiveOne(TimeSpan.FromSeconds(30)))
                {
                    case ChaosSessionEnded session:
                        sessions.Add(session);
                        break;
                    case ChaosConnectionEnded connection:
                        connections.Add(connection);
                        break;
                    case null:
                        Assert.Fail($"the scenario stalled: {sessions.Count} client sessions and {connections.Count} server connections ended so far");
                        break;
                }
            }

            server.Node.Tell(GetPeers.Instance);
            Assert.Empty(ExpectMsg<Peers>().Connected);
        }

        _output.WriteLine(
            $"{sessions.Count} connections: {sessions.Count(s => s.Action == ChaosClientAction.SaidGoodbye)} said goodbye, " +
            $"{sessions.Count(s => s.Action == ChaosClientAction.Vanished)} vanished, {connections.Count(c => c.ClosedByServer)} closed by the server");
        Assert.All(connections, connection =>
            Assert.Contains(connection.Reason, new[] { DisconnectReason.Requested, DisconnectReason.Dropped, DisconnectReason.ServerClosed }));
        foreach (var client in sessions.GroupBy(session => session.Client))
        {
            var clientSaw = client.Select(ExpectedAtServer).Order().ToList();
            var serverSaw = connections.Where(connection => connection.Peer == client.Key).Select(connection => connection.Reason).Order().ToList();
            Assert.Equal(clientSaw, serverSaw);
        }

        // Each side's choices depend only on the seed and the traffic, never on timing: the same seed replays the
        // same run, and with this one every kind of end happens.
        Assert.Equal(
            (53, 17, 3, 33),
            (sessions.Count, sessions.Count(s => s.Action == ChaosClientAction.SaidGoodbye), sessions.Count(s => s.Action == ChaosClientAction.Vanished),
                connections.Count(c => c.ClosedByServer)));
        Assert.All(connections.Where(connection => connection.ClosedByServer), connection => Assert.Equal(DisconnectReason.ServerClosed, connection.Reason));
    }

    // What the server's side must report for what the client did (or had done to it).
    private static DisconnectReason ExpectedAtServer(ChaosSessionEnded session) => session.Action switch
    {
        ChaosClientAction.SaidGoodbye => DisconnectReason.Requested,
        ChaosClientAction.Vanished => DisconnectReason.Dropped,
        _ when session.Reason == DisconnectReason.ServerClosed => DisconnectReason.ServerClosed,
        _ => throw new Xunit.Sdk.XunitException($"{session.Client}'s session {session.Session} ended as {session.Reason} without its doing"),
    };
}
