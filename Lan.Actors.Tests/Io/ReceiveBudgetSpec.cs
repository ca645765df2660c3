using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>
/// Peers that start huge frames and never finish them cannot make a node hold more than <c>lan.tcp.receive-budget</c>
/// between them: past it the largest holders stop being read, are dropped at their frame deadline, and a peer
/// sending ordinary packets is served all along. Before the budget, 40 such peers held +715 MB until the deadline.
/// </summary>
// Alone: a spec here measures the process's managed heap, which specs running beside it would swell.
[Collection(CountedAloneCollection.Name)]
public sealed class ReceiveBudgetSpec : LanTestKit
{
    private const int Attackers = 10;
    private const int HeldEach = 12 << 20;
    private readonly ITestOutputHelper _output;

    public ReceiveBudgetSpec(ITestOutputHelper output)
        : base("lan.tcp { port = 0, receive-budget = 8MiB, frame-timeout = 3s, heartbeat-interval = 2s, heartbeat-timeout = 30s, close-timeout = 300ms }", output) =>
        _output = output;

    [Fact]
    public async Task UnfinishedHugeFrames_AreHeldOnlyUpToTheBudget_TheirPeersDroppedAtTheDeadline_WhileAnOrdinaryPeerIsServed()
    {
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(TestActor));
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var stop = new CancellationTokenSource();
        var attackers = new List<RawPeer>();
        var sending = new List<Task>();
        try
        {
            for (var i = 0; i < Attackers; i++)
            {
                var attacker = await RawPeer.ConnectAsync(server.LocalEndPoint);
                ExpectMsg<Connected>();
                attackers.Add(attacker);
                sending.Add(RawPeer.SendUnfinishedFrameAsync(attacker.Socket, (16 << 20) - 1, HeldEach, stop.Token));
            }

            using var ordinary = await RawPeer.ConnectAsync(server.LocalEndPoint);
            var ordinaryConnection = ExpectMsg<Connected>().Connection;

            // The budget is reached, and then nobody holding a share is read any more.
            await AwaitConditionAsync(async () => (await BytesInAsync(server)) >= 8 << 20);
            ExpectNoMsg(TimeSpan.FromMilliseconds(500));
            var held = await BytesInAsync(server);
            var heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            _output.WriteLine($"{Attackers} peers each sending a {HeldEach >> 20} MiB frame: {held >> 20} MiB read and held, managed heap +{heap >> 20} MiB");
            Assert.True(held < (32L << 20), $"{held >> 20} MiB of unfinished frames were read");
            Assert.True(heap < (64L << 20), $"the managed heap grew by {heap >> 20} MiB");

            // An ordinary peer is read and answered all along.
            await ordinary.SendAsync(RawPeer.Message("still served"));
            Assert.Equal("still served", FishForMessage<Received>(received => received.Connection.Equals(ordinaryConnection)).Packet.GetString("TEXT"));

            // Every peer holding its share is dropped at its frame deadline, and gives its memory back.
            var dropped = ReceiveWhile(TimeSpan.FromSeconds(15), message => message as Disconnected, Attackers).OfType<Disconnected>().ToList();
            Assert.All(dropped, disconnected => Assert.Equal(DisconnectReason.FrameTimeout, disconnected.Reason));
            Assert.True(dropped.Count >= Attackers / 2, $"only {dropped.Count} of {Attackers} were dropped at the frame deadline");
        }
        finally
        {
            await stop.CancelAsync();
            attackers.ForEach(attacker => attacker.Dispose());
            await Task.WhenAll(sending.Select(task => task.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    // The ordinary peer adds a few bytes at most.
    private async Task<long> BytesInAsync(LanServer server) =>
        (await server.Node.Ask<Peers>(GetPeers.Instance, RemainingOrDefault)).Connected.Sum(peer => peer.BytesIn);
}
