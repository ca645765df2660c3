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
        var ledger = new ChaosLedger();

        await using (var lan = new LoopbackLan(this, countSockets: true))
        {
            var server = await lan.StartServer("seed-server", ChaosServerHandler.Create(new ChaosServerOptions(CloseProbability: 0.1, Seed)));
            for (var i = 1; i <= Clients; i++)
            {
                var name = $"client-{i:D2}";
                lan.StartClient(ChaosClientHandler.Create(new ChaosClientOptions(name, Messages: 10, DropProbability: 0.1, Seed + i)), "seed-server", name);
            }

            // A client is finished when it has said goodbye or vanished; a server's close makes it come back.
            while (ledger.SaidGoodbye + ledger.Vanished < Clients || !ledger.Settled)
            {
                switch (events.ReceiveOne(TimeSpan.FromSeconds(30)))
                {
                    case ChaosSessionEnded session:
                        ledger.Record(session);
                        break;
                    case ChaosConnectionEnded connection:
                        ledger.Record(connection);
                        break;
                    case null:
                        Assert.Fail($"the scenario stalled: {ledger.Sessions.Count} client sessions and {ledger.Connections.Count} server connections ended so far");
                        break;
                }
            }

            server.Node.Tell(GetPeers.Instance);
            Assert.Empty(ExpectMsg<Peers>().Connected);
        }

        _output.WriteLine(
            $"{ledger.Sessions.Count} connections: {ledger.SaidGoodbye} said goodbye, {ledger.Vanished} vanished, {ledger.ClosedByServer} closed by the server");
        Assert.All(ledger.Connections, connection =>
            Assert.Contains(connection.Reason, new[] { DisconnectReason.Requested, DisconnectReason.Dropped, DisconnectReason.ServerClosed }));
        Assert.Empty(ledger.Mismatches());

        // Each side's choices depend only on the seed and the traffic, never on timing: the same seed replays the
        // same run, and with this one every kind of end happens.
        Assert.Equal((53, 17, 3, 33), (ledger.Sessions.Count, ledger.SaidGoodbye, ledger.Vanished, ledger.ClosedByServer));
        Assert.Equal(ledger.Sessions.Count - Clients, ledger.Reconnected);
    }
}
