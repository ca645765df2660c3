using Lan.Actors.Filer;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Filer;

/// <summary>A receiver with a decider (<c>--accept ask</c>): every offer waits for a yes or a no, and never forever.</summary>
public sealed class OfferDecisionSpec : LanTestKit, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TempFolder _temp = new();

    public OfferDecisionSpec(ITestOutputHelper output)
        : base("lan.tcp { port = 0, close-timeout = 300ms }", output)
    {
    }

    [Fact]
    public async Task Offer_WaitsForTheDecider_ThenAYesReceivesTheFile_AndANoRefusesItWithTheDecidersReason()
    {
        var inbox = _temp.Sub("inbox");
        var decider = CreateTestProbe();
        var server = await StartReceiver(new FileReceiverOptions(inbox) { Decider = decider.Ref });
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        byte[] content = [1, 2, 3];

        await peer.SendAsync(FilerWire.Offer("yes", "wanted.bin", content));
        var asked = decider.ExpectMsg<OfferReceived>(Patience);
        Assert.Equal(("wanted.bin", 3L), (asked.Name, asked.Size));
        Assert.NotNull(asked.Peer);
        // Nothing is written, nor answered, before the decision.
        Assert.Empty(Directory.EnumerateFileSystemEntries(inbox));
        decider.Reply(new AcceptOffer(asked.Ticket));
        Assert.Equal(0, FilerWire.Field(await FilerWire.Expect(peer, FilerPackets.Accept), "FROM"));
        await peer.SendAsync(
            Packet.Create(FilerPackets.Chunk).Set("ID", "yes").Set("OFFSET", 0).WithContent(content).Build(),
            Packet.Create(FilerPackets.Done).Set("ID", "yes").Build());
        await FilerWire.Expect(peer, FilerPackets.Ack);
        Assert.True((await FilerWire.Expect(peer, FilerPackets.Done)).TryGet<bool>("OK", out var ok) && ok);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(inbox, "wanted.bin")));

        await peer.SendAsync(FilerWire.Offer("no", "unwanted.bin", content));
        var second = decider.ExpectMsg<OfferReceived>(Patience);
        Assert.NotEqual(asked.Ticket, second.Ticket);
        decider.Reply(new RejectOffer(second.Ticket, "not today"));
        Assert.Equal("not today", (await FilerWire.Expect(peer, FilerPackets.Reject)).GetString("REASON"));
        Assert.False(File.Exists(Path.Combine(inbox, "unwanted.bin")));
    }

    [Fact]
    public async Task Offer_NobodyAnswers_IsRefusedAfterTheDecisionTimeout_AndTheDeciderIsTold()
    {
        var decider = CreateTestProbe();
        var options = new FileReceiverOptions(_temp.Sub("inbox")) { Decider = decider.Ref, DecisionTimeout = TimeSpan.FromMilliseconds(300) };
        var server = await StartReceiver(options);
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);

        await peer.SendAsync(FilerWire.Offer("late", "late.bin", [1]));
        var asked = decider.ExpectMsg<OfferReceived>(Patience);

        Assert.Equal("no decision within 0.3 s", (await FilerWire.Expect(peer, FilerPackets.Reject)).GetString("REASON"));
        Assert.Equal(asked.Ticket, decider.ExpectMsg<OfferWithdrawn>(Patience).Ticket);
        // An answer after the time is up changes nothing.
        decider.Reply(new AcceptOffer(asked.Ticket));
        await peer.SendAsync(FilerWire.Offer("next", "next.bin", [2]));
        decider.ExpectMsg<OfferReceived>(Patience);
        Assert.Empty(Directory.EnumerateFileSystemEntries(options.Folder));
    }

    [Fact]
    public async Task Offer_WhoseConnectionEndsBeforeTheDecision_IsWithdrawn_AndALateYesWritesNothing()
    {
        var decider = CreateTestProbe();
        var options = new FileReceiverOptions(_temp.Sub("inbox")) { Decider = decider.Ref };
        var server = await StartReceiver(options);
        var failed = CreateTestProbe();
        Sys.EventStream.Subscribe(failed.Ref, typeof(TransferFailed));

        long ticket;
        using (var peer = await RawPeer.ConnectAsync(server.LocalEndPoint))
        {
            await peer.SendAsync(FilerWire.Offer("gone", "gone.bin", [1, 2]));
            ticket = decider.ExpectMsg<OfferReceived>(Patience).Ticket;
            peer.Reset();
        }

        var withdrawn = decider.ExpectMsg<OfferWithdrawn>(Patience);
        Assert.Equal(ticket, withdrawn.Ticket);
        Assert.Contains("connection was lost", withdrawn.Reason, StringComparison.Ordinal);
        decider.Reply(new AcceptOffer(ticket));
        failed.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Empty(Directory.EnumerateFileSystemEntries(options.Folder));
    }

    public new void Dispose()
    {
        base.Dispose();
        _temp.Dispose();
    }

    private Task<LanServer> StartReceiver(FileReceiverOptions options) =>
        LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), FileReceiverHandler.Props(options));
}
