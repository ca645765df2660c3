using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;
using Lan.Actors.Discovery;

namespace Lan.Actors.Tests.Scenarios;

/// <summary>A server that dies and comes back: discovery sees the new instance and every client reconnects within the back-off bound.</summary>
public sealed class ServerRestartScenarioSpec(ITestOutputHelper output) : LanTestKit(
    """
    lan.tcp { close-timeout = 500ms, reconnect { min-backoff = 50ms, max-backoff = 300ms, random-factor = 0.2 } }
    """, output)
{
    // The longest a client may wait before its next attempt (max-backoff with its jitter), plus a second for the restart itself.
    private static readonly TimeSpan ReconnectBound = TimeSpan.FromMilliseconds(300 * 1.2) + TimeSpan.FromSeconds(1);

    [Fact]
    public async Task ServerIsKilledAndRestarted_DiscoverySeesANewInstance_AndClientsReconnectWithinTheBackoffBound()
    {
        var discovery = CreateTestProbe();
        Sys.EventStream.Subscribe(discovery.Ref, typeof(ServerFound));
        Sys.EventStream.Subscribe(discovery.Ref, typeof(ServerUpdated));
        await using var lan = new LoopbackLan(this);
        var server = await lan.StartServer("game", Props.Create<EchoHandler>());
        var clients = Enumerable.Range(1, 3).Select(i => lan.StartProbeClient("game", $"player-{i}")).ToList();
        Assert.All(clients, client => client.ExpectIdentified());
        var before = discovery.ExpectMsg<ServerFound>().Server;

        var restarted = await lan.RestartServer(server);

        Assert.Equal(before.EndPoint.Port, restarted.LocalEndPoint.Port);
        // A dying process's sockets end with FIN, or with a reset when bytes were still unread: either way, not Requested.
        Assert.All(clients, client => Assert.Contains(client.ExpectDisconnected().Reason, new[] { DisconnectReason.ServerClosed, DisconnectReason.Dropped }));
        Assert.All(clients, client => client.ExpectIdentified(Dilated(ReconnectBound)));
        var update = discovery.FishForMessage<ServerUpdated>(updated => updated.Restarted);
        Assert.Equal(before.Id, update.Server.Id);
        Assert.NotEqual(before.Instance, update.Server.Instance);

        foreach (var client in clients)
        {
            client.Send(Packet.Create(PacketTypes.Message).Set("TEXT", "back again").Build());
            client.ExpectPacket(PacketTypes.Message, echoed => echoed.GetString("TEXT") == "back again");
        }
    }
}
