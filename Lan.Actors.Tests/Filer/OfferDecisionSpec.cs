using Lan.Actors.Filer;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Filer;

/// <summary>
/// Offers that wait — for a decider's yes or no (<c>--accept ask</c>), or for the hash that tells whether a resumable
/// <c>.part</c> is theirs — take the sender's FILE_HASH and FILE_CANCEL meanwhile, and never wait forever.
/// </summary>
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

    [Fact]
    public async Task HashlessOffer_WhoseHashComesBeforeTheYes_IsReceivedAndVerified()
    {
        var inbox = _temp.Sub("inbox");
        var decider = CreateTestProbe();
        var server = await StartReceiver(new FileReceiverOptions(inbox) { Decider = decider.Ref });
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        byte[] content = [4, 5, 6, 7];

        // A large file's sender hashes in milliseconds; a person answers in seconds.
        await peer.SendAsync(
            FilerWire.Offer("big", "big.bin", content, withHash: false),
            Packet.Create(FilerPackets.Hash).Set("ID", "big").Set("SHA256", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content))).Build());
        var asked = decider.ExpectMsg<OfferReceived>(Patience);
        var receiver = decider.LastSender;
        decider.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        receiver.Tell(new AcceptOffer(asked.Ticket), decider.Ref);
        await FilerWire.Expect(peer, FilerPackets.Accept);
        await peer.SendAsync(
            Packet.Create(FilerPackets.Chunk).Set("ID", "big").Set("OFFSET", 0).WithContent(content).Build(),
            Packet.Create(FilerPackets.Done).Set("ID", "big").Build());
        await FilerWire.Expect(peer, FilerPackets.Ack);
        Assert.True((await FilerWire.Expect(peer, FilerPackets.Done)).TryGet<bool>("OK", out var ok) && ok);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(inbox, "big.bin")));
    }

    [Fact]
    public async Task OfferCancelledBySenderWhileTheDeciderThinks_IsWithdrawn_AndALateYesWritesNothing()
    {
        var decider = CreateTestProbe();
        var options = new FileReceiverOptions(_temp.Sub("inbox")) { Decider = decider.Ref };
        var server = await StartReceiver(options);
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);

        await peer.SendAsync(FilerWire.Offer("undecided", "undecided.bin", [1]));
        var asked = decider.ExpectMsg<OfferReceived>(Patience);
        await peer.SendAsync(Packet.Create(FilerPackets.Cancel).Set("ID", "undecided").Set("REASON", "changed my mind").Build());
        var withdrawn = decider.ExpectMsg<OfferWithdrawn>(Patience);
        Assert.Equal((asked.Ticket, "cancelled by the sender"), (withdrawn.Ticket, withdrawn.Reason));

        decider.Reply(new AcceptOffer(asked.Ticket));
        // The same name offered again is asked about, not refused as "being received".
        await peer.SendAsync(FilerWire.Offer("again", "undecided.bin", [1]));
        Assert.Equal("undecided.bin", decider.ExpectMsg<OfferReceived>(Patience).Name);
        Assert.Empty(Directory.EnumerateFileSystemEntries(options.Folder));
    }

    [Fact]
    public async Task HashlessOffer_OverAResumablePart_WhoseHashNeverComes_StartsFromZeroAfterTheWait()
    {
        var inbox = _temp.Sub("inbox");
        var server = await StartReceiver(new FileReceiverOptions(inbox) { DecisionTimeout = TimeSpan.FromMilliseconds(300) });
        var cutOff = CreateTestProbe();
        Sys.EventStream.Subscribe(cutOff.Ref, typeof(TransferFailed));
        byte[] content = [1, 2, 3, 4];
        using (var cut = await RawPeer.ConnectAsync(server.LocalEndPoint))
        {
            await cut.SendAsync(FilerWire.Offer("a", "p.bin", content));
            await FilerWire.Expect(cut, FilerPackets.Accept);
            await cut.SendAsync(Packet.Create(FilerPackets.Chunk).Set("ID", "a").Set("OFFSET", 0).WithContent(content.AsMemory(0, 2)).Build());
            await FilerWire.Expect(cut, FilerPackets.Ack);
            cut.Reset();
        }

        // The cut is taken in (the .part suspended with its hashed sidecar) before the next offer comes.
        cutOff.ExpectMsg<TransferFailed>(Patience);
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);

        // Parked for its hash first, as the receiver says, then started from zero when no hash comes in time.
        await EventFilter.Info(start: "p.bin: waiting for the sender's FILE_HASH").ExpectOneAsync(
            () => peer.SendAsync(FilerWire.Offer("b", "p.bin", content, withHash: false)));
        var accept = await peer.ReadAsync().WaitAsync(Patience);
        Assert.Equal((FilerPackets.Accept, 0L), (accept!.Type, FilerWire.Field(accept, "FROM")));
    }

    public new void Dispose()
    {
        base.Dispose();
        _temp.Dispose();
    }

    private Task<LanServer> StartReceiver(FileReceiverOptions options) =>
        LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), FileReceiverHandler.Props(options));
}
