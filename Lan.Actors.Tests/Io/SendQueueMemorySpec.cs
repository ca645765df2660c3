using System.Diagnostics;
using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>
/// The attack of issue 22 on an echo server: peers that send large packets and never read the answers. Measured, the
/// managed heap stays within the send queues' byte bound; before the bound it held every answer (a GiB at 2 × 450 MiB).
/// </summary>
// Alone: a spec here measures the process's managed heap, which specs running beside it would swell.
[Collection(CountedAloneCollection.Name)]
public sealed class SendQueueMemorySpec : LanTestKit
{
    private const int Peers = 8;
    private const int PacketsEach = 40;
    private readonly ITestOutputHelper _output;

    public SendQueueMemorySpec(ITestOutputHelper output)
        : base("lan.tcp { port = 0, send-queue-bytes = 2MiB, slow-consumer-grace = 10m }", output) => _output = output;

    [Fact]
    public async Task PeersThatNeverReadTheirEchoes_HoldAtMostTheSendQueueBytesEach_NotEveryAnswer()
    {
        var refusals = CreateTestProbe();
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), Props.Create(() => new ReportingEcho(refusals.Ref)));
        var frame = RawPeer.Frame(Packet.Create("BLOB").WithContent(new byte[1 << 20]).Build());
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var rssBefore = Process.GetCurrentProcess().WorkingSet64;

        var peers = new List<RawPeer>();
        try
        {
            for (var i = 0; i < Peers; i++)
            {
                var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
                peer.Socket.ReceiveBufferSize = 4096;
                peers.Add(peer);
            }

            await Task.WhenAll(peers.Select(async peer =>
            {
                for (var i = 0; i < PacketsEach; i++)
                {
                    await peer.SendBytesAsync(frame);
                }
            }));

            // Each peer's answers beyond 2 MiB queued, one in flight and the kernel's buffers are refused.
            refusals.ReceiveN(Peers * (PacketsEach - 16), TimeSpan.FromSeconds(60));
            var heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            var rss = Process.GetCurrentProcess().WorkingSet64 - rssBefore;
            _output.WriteLine($"under attack: managed heap +{heap >> 20} MiB, RSS +{rss >> 20} MiB ({Peers} peers × {PacketsEach} MiB unread)");
            // 8 × (2 MiB queued + 1 MiB in flight) is 24 MiB; the rest is slack for specs running beside this one.
            Assert.True(heap < (96L << 20), $"the managed heap grew by {heap >> 20} MiB");
            Assert.True(rss < (300L << 20), $"RSS grew by {rss >> 20} MiB");
        }
        finally
        {
            peers.ForEach(peer => peer.Dispose());
        }
    }

    /// <summary>An echo handler that tells the spec about each answer refused.</summary>
    private sealed class ReportingEcho : ReceiveActor
    {
        public ReportingEcho(IActorRef refusals)
        {
            Receive<Received>(received => received.Connection.Tell(new Send(received.Packet)));
            Receive<SendRefused>(refused => refusals.Tell(refused.Reason));
            ReceiveAny(_ => { });
        }
    }
}
