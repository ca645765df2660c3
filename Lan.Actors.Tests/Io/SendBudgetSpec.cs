using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>
/// Peers that ask for answers and never read them cannot make a node hold more in send queues than
/// <c>lan.tcp.send-budget</c> and, per connection, 64 KiB and one packet, while a peer that reads is answered.
/// </summary>
public sealed class SendBudgetSpec : LanTestKit
{
    private const long MiB = 1 << 20;
    private readonly ITestOutputHelper _output;

    public SendBudgetSpec(ITestOutputHelper output)
        : base(
            """
            lan.tcp {
              port = 0, close-timeout = 300ms, send-queue-bytes = 1MiB, send-budget = 4MiB
              slow-consumer-grace = 1m, heartbeat-interval = 1m, heartbeat-timeout = 2m
            }
            """, output) => _output = output;

    [Fact]
    public async Task SixteenPeersThatNeverRead_HoldNoMoreThanTheBudgetAndAFloorEach_AndAPeerThatReadsIsStillAnswered()
    {
        // Before (a82b51c had no node-wide budget; as here with send-budget = 1GiB): each queue filled to
        // send-queue-bytes, 15 MiB in all, and with the defaults
        // (8 MiB a queue, 256 connections from one address) one host could make a node hold 2 GiB.
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(TestActor));
        var hoarders = new List<RawPeer>();
        var connections = new List<IActorRef>();
        for (var i = 0; i < 16; i++)
        {
            var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
            peer.Socket.ReceiveBufferSize = 4096;
            hoarders.Add(peer);
            connections.Add(ExpectMsg<Connected>().Connection);
        }

        try
        {
            // Asked in rounds until every queue has had a send refused: the kernel's socket buffers take the first
            // megabytes of each, and only then do the queues fill. A round ends when every connection has answered
            // for its stats, so it has taken each send before it.
            var blob = Packet.Create("BLOB").WithContent(new byte[64 * 1024]).Build();
            var refusals = connections.Select(_ => CreateTestProbe()).ToList();
            PeerStats[] stats = [];
            for (var round = 0; round < 200 && !refusals.All(probe => probe.HasMessages); round++)
            {
                for (var c = 0; c < connections.Count; c++)
                {
                    for (var i = 0; i < 8; i++)
                    {
                        connections[c].Tell(new Send(blob), refusals[c].Ref);
                    }
                }

                stats = await Task.WhenAll(connections.Select(connection => connection.Ask<PeerStats>(GetPeerStats.Instance, RemainingOrDefault)));
            }

            var queued = stats.Sum(peer => peer.QueuedBytes);
            _output.WriteLine($"queued: {queued / (double)MiB:0.00} MiB in 16 queues (budget 4 MiB, 1 MiB a queue): {string.Join(", ", stats.Select(peer => peer.QueuedBytes >> 10))} KiB");
            Assert.All(refusals, probe => Assert.Equal(SendRefusal.QueueFull, probe.ExpectMsg<SendRefused>().Reason));
            // The budget, and per queue the floor it may always hold and the packet that took it past: 4 MiB + 16 × 128 KiB.
            Assert.True(queued <= 4 * MiB + 16 * (SendBudget.Floor + blob.FrameLength), $"the send queues hold {queued / (double)MiB:0.00} MiB");

            // A peer that reads holds nothing in its queue, so it is answered however full the budget is.
            using var reader = await RawPeer.ConnectAsync(server.LocalEndPoint);
            var readerConnection = FishForMessage<Connected>(_ => true).Connection;
            readerConnection.Tell(new Send(RawPeer.Message("still served")), TestActor);
            Assert.Equal("still served", (await reader.ReadAsync())!.GetString("TEXT"));
        }
        finally
        {
            hoarders.ForEach(peer => peer.Dispose());
        }
    }
}
