using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>
/// Batch delivery (<c>batchDelivery: true</c>): the handler is told one <see cref="ReceivedBatch"/> per read, and
/// <see cref="SendBatch"/> sends many packets in one message. The per-packet <see cref="Received"/> stays the default.
/// </summary>
public sealed class BatchDeliverySpec(ITestOutputHelper output) : LanTestKit(
    """
    lan.tcp {
      port = 0
      close-timeout = 300ms
      send-queue-limit = 8
    }
    """, output)
{
    private Task<LanServer> StartServer(Props handler, bool batchDelivery = true, bool pullMode = false, HandlerMode mode = HandlerMode.Shared) =>
        LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), handler, new ServerOptions { Mode = mode, PullMode = pullMode, BatchDelivery = batchDelivery });

    private static Packet[] Messages(int count, string prefix = "m") =>
        [.. Enumerable.Range(0, count).Select(i => RawPeer.Message($"{prefix}{i}"))];

    private static string[] Texts(IEnumerable<Packet> packets) => [.. packets.Select(packet => packet.GetString("TEXT"))];

    /// <summary>Collects batches until <paramref name="count"/> packets have come, failing on any per-packet Received.</summary>
    private List<Packet> ExpectBatchedPackets(int count) => ExpectBatches(count).SelectMany(batch => batch).ToList();

    private List<IReadOnlyList<Packet>> ExpectBatches(int count)
    {
        var batches = new List<IReadOnlyList<Packet>>();
        while (batches.Sum(batch => batch.Count) < count)
        {
            var batch = ExpectMsg<ReceivedBatch>();
            Assert.NotEmpty(batch.Packets);
            batches.Add(batch.Packets);
        }

        Assert.Equal(count, batches.Sum(batch => batch.Count));
        return batches;
    }

    [Fact]
    public async Task BatchDelivery_GivesTheHandlerEveryPacketOfARead_InOrder()
    {
        var server = await StartServer(Forwarder.To(TestActor));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var connection = ExpectMsg<Connected>().Connection;
        var sent = Messages(200);
        // Twice, each time 100 packets in one write: the reader takes each in a read or a few, never one by one.
        await peer.SendAsync(sent[..100]);
        var first = ExpectBatches(100);
        await peer.SendAsync(sent[100..]);
        var second = ExpectBatches(100);
        Assert.Equal(Texts(sent), Texts(first.Concat(second).SelectMany(batch => batch)));
        Assert.InRange(first.Count + second.Count, 2, 100);
        Assert.Equal(connection, LastSender);
    }

    [Fact]
    public async Task WithoutBatchDelivery_TheHandlerGetsOneReceivedPerPacket()
    {
        var server = await StartServer(Forwarder.To(TestActor), batchDelivery: false);
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        ExpectMsg<Connected>();
        await peer.SendAsync(Messages(3));
        Assert.Equal(["m0", "m1", "m2"], Enumerable.Range(0, 3).Select(_ => ExpectMsg<Received>().Packet.GetString("TEXT")));
    }

    [Fact]
    public async Task EchoHandler_WithBatchDelivery_AnswersEveryPacket_InOrder()
    {
        var server = await StartServer(Props.Create<EchoHandler>());
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var sent = Messages(8);
        for (var round = 0; round < 5; round++)
        {
            await peer.SendAsync(sent);
            var echoed = new List<Packet>();
            for (var i = 0; i < sent.Length; i++)
            {
                echoed.Add((await peer.ReadAsync())!);
            }

            Assert.Equal(Texts(sent), Texts(echoed));
        }
    }

    [Fact]
    public async Task SendBatch_SendsEveryPacket_InOrder_OnAnyNode()
    {
        var server = await StartServer(Forwarder.To(TestActor), batchDelivery: false);
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var connection = ExpectMsg<Connected>().Connection;
        var sent = Messages(5);
        connection.Tell(new SendBatch(sent), TestActor);
        var received = new List<Packet>();
        for (var i = 0; i < sent.Length; i++)
        {
            received.Add((await peer.ReadAsync())!);
        }

        Assert.Equal(Texts(sent), Texts(received));
    }

    [Fact]
    public async Task SendBatch_PastTheQueueLimit_RefusesEachPacketThatDoesNotFit_AndSendsTheRest()
    {
        var server = await StartServer(Forwarder.To(TestActor));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var connection = ExpectMsg<Connected>().Connection;
        var sent = Messages(12);
        // send-queue-limit = 8, and the whole batch is queued before the flush: the last four do not fit.
        connection.Tell(new SendBatch(sent), TestActor);
        var refused = Enumerable.Range(0, 4).Select(_ => ExpectMsg<SendRefused>()).ToList();
        Assert.All(refused, refusal => Assert.Equal(SendRefusal.QueueFull, refusal.Reason));
        Assert.Equal(Texts(sent[8..]), Texts(refused.Select(refusal => refusal.Packet)));
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal($"m{i}", (await peer.ReadAsync())!.GetString("TEXT"));
        }
    }

    [Fact]
    public async Task SendBatch_OnAClosingConnection_RefusesEveryPacketAsClosed()
    {
        var server = await StartServer(Forwarder.To(TestActor));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var connection = ExpectMsg<Connected>().Connection;
        connection.Tell(new Close("bye"), TestActor);
        connection.Tell(new SendBatch(Messages(2)), TestActor);
        Assert.All([ExpectMsg<SendRefused>(), ExpectMsg<SendRefused>()], refusal => Assert.Equal(SendRefusal.Closed, refusal.Reason));
    }

    [Fact]
    public async Task BatchDelivery_KeepsHandshakeAndPingsFromTheHandler_AndIdentifiedComesBeforeThePackets()
    {
        var server = await StartServer(Forwarder.To(TestActor));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        ExpectMsg<Connected>();
        await peer.SendAsync(
            Packet.From(new Hello("id-1", "ana", "lan")), RawPeer.Message("a"), Packet.From(new Ping()), RawPeer.Message("b"), Packet.From(new Pong()), RawPeer.Message("c"));
        Assert.Equal("id-1", ExpectMsg<Identified>().Peer.Id);
        Assert.Equal(["a", "b", "c"], Texts(ExpectBatchedPackets(3)));
        Assert.Equal(PacketTypes.Welcome, (await peer.ReadAsync())!.Type);
        Assert.Equal(PacketTypes.Pong, (await peer.ReadAsync())!.Type);
    }

    [Fact]
    public async Task BatchDelivery_ThePeersLastPacketsBeforeItsDisconnect_ReachTheHandler_BeforeDisconnected()
    {
        var server = await StartServer(Forwarder.To(TestActor));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        ExpectMsg<Connected>();
        await peer.SendAsync(RawPeer.Message("warm"));
        ExpectBatchedPackets(1);
        await peer.SendAsync([.. Messages(3, "last"), Packet.From(new Disconnect("done")), RawPeer.Message("after the end")]);
        Assert.Equal(["last0", "last1", "last2"], Texts(ExpectBatchedPackets(3)));
        Assert.Equal(DisconnectReason.Requested, ExpectMsg<Disconnected>().Reason);
    }

    [Fact]
    public async Task BatchDelivery_CountsEveryPacketAndByte_InThePeersStats()
    {
        var server = await StartServer(Forwarder.To(TestActor));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var connection = ExpectMsg<Connected>().Connection;
        var first = Messages(2);
        var then = Messages(3, "x");
        await peer.SendAsync(first);
        ExpectBatchedPackets(2);
        await peer.SendAsync(then);
        ExpectBatchedPackets(3);
        var stats = await connection.Ask<PeerStats>(GetPeerStats.Instance, TimeSpan.FromSeconds(3));
        Assert.Equal(5, stats.PacketsIn);
        Assert.Equal(RawPeer.Frame(first).Length + RawPeer.Frame(then).Length, stats.BytesIn);
    }

    [Fact]
    public async Task BatchDelivery_InPullMode_GivesTheNextBatch_OnlyAfterResumeReading()
    {
        var server = await StartServer(Forwarder.To(TestActor), pullMode: true);
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var connection = ExpectMsg<Connected>().Connection;
        await peer.SendAsync(RawPeer.Message("one"));
        Assert.Equal(["one"], Texts(ExpectBatchedPackets(1)));
        await peer.SendAsync(RawPeer.Message("two"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        connection.Tell(ResumeReading.Instance, TestActor);
        Assert.Equal(["two"], Texts(ExpectBatchedPackets(1)));
    }

    [Fact]
    public async Task BatchDelivery_WithAHandlerPerConnection_GivesEachHandlerOnlyItsOwnConnectionsPackets()
    {
        var server = await StartServer(Props.Create<EchoHandler>(), mode: HandlerMode.PerConnection);
        using var ana = await RawPeer.ConnectAsync(server.LocalEndPoint);
        using var bob = await RawPeer.ConnectAsync(server.LocalEndPoint);
        for (var round = 0; round < 3; round++)
        {
            await ana.SendAsync(Messages(4, "ana"));
            await bob.SendAsync(Messages(4, "bob"));
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal($"ana{i}", (await ana.ReadAsync())!.GetString("TEXT"));
                Assert.Equal($"bob{i}", (await bob.ReadAsync())!.GetString("TEXT"));
            }
        }
    }
}
