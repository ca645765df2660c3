using System.Security.Cryptography;
using Akka.Actor;
using Lan.Actors.Filer;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Filer;

/// <summary>Each side of the filer against a scripted other side: a <see cref="PacketProbe"/> receiver, a raw-socket sender.</summary>
public sealed class FilerProtocolSpec : LanTestKit, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
    private readonly TempFolder _temp = new();

    public FilerProtocolSpec(ITestOutputHelper output)
        : base("lan.tcp { port = 0, close-timeout = 300ms }", output)
    {
    }

    [Fact]
    public async Task Sender_NeverHasMoreThanTheWindowOfUnacknowledgedChunksOutstanding_AndSendsDoneOnlyWhenAllAreAcknowledgedAndHashed()
    {
        const int Chunk = 1024;
        const int Window = 3;
        var source = TempFolder.WriteFile(_temp.Sub("outbox"), "windowed.bin", (10 * Chunk) + 500);
        var bytes = await File.ReadAllBytesAsync(source);
        var receiver = new PacketProbe(this);
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), receiver.HandlerProps);
        var completed = CreateTestProbe();
        Sys.EventStream.Subscribe(completed.Ref, typeof(TransferCompleted));
        var sender = Sys.ActorOf(FileSenderHandler.Props(new FileSenderOptions(Chunk, Window) { HashBeforeOfferUpTo = 0 }));
        LanNode.StartClient(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(sender)).Connect(server.LocalEndPoint);
        receiver.ExpectConnected(Patience);
        var script = new HashAwareReceiver(receiver);

        sender.Tell(new SendFile(source));
        var offer = script.Expect(FilerPackets.Offer, Patience);
        var id = offer.GetString("ID");
        Assert.Equal("windowed.bin", offer.GetString("NAME"));
        Assert.True(offer.TryGet<long>("SIZE", out var size) && size == bytes.Length);
        Assert.False(offer.TryGet<string>("SHA256", out _), "a first offer goes before the hash is known");
        Assert.True(offer.TryGet<long>("CHUNK", out var chunk) && chunk == Chunk);
        receiver.Send(Packet.Create(FilerPackets.Accept).Set("ID", id).Set("FROM", 0).Build());

        var arrived = new MemoryStream();
        var unacknowledged = new Queue<long>();
        var mostOutstanding = 0;
        var chunks = 0;
        while (arrived.Length < size || unacknowledged.Count > 0)
        {
            if (unacknowledged.Count == Window || (arrived.Length == size && unacknowledged.Count > 0))
            {
                // The window is full (or the file is all sent): nothing more may come until an acknowledgement.
                script.ExpectNothingElse(Quiet);
                receiver.Send(Packet.Create(FilerPackets.Ack).Set("ID", id).Set("UPTO", unacknowledged.Dequeue()).Build());
                continue;
            }

            var next = script.Expect(FilerPackets.Chunk, Patience);
            Assert.Equal(id, next.GetString("ID"));
            Assert.True(next.TryGet<long>("OFFSET", out var offset) && offset == arrived.Length);
            Assert.InRange(next.Content.Length, 1, Chunk);
            arrived.Write(next.Content.Span);
            unacknowledged.Enqueue(arrived.Length);
            mostOutstanding = Math.Max(mostOutstanding, unacknowledged.Count);
            chunks++;
        }

        Assert.Equal(11, chunks);
        Assert.Equal(Window, mostOutstanding);
        Assert.Equal(bytes, arrived.ToArray());
        Assert.Equal(id, script.Expect(FilerPackets.Done, Patience).GetString("ID"));
        Assert.Equal((1, Convert.ToHexStringLower(SHA256.HashData(bytes))), (script.Hashes, script.Hash));
        receiver.Send(Packet.Create(FilerPackets.Done).Set("ID", id).Set("OK", true).Build());
        var sent = completed.ExpectMsg<TransferCompleted>(Patience);
        Assert.Equal((TransferDirection.Sending, source, size), (sent.Direction, sent.Path, sent.Size));
    }

    [Fact]
    public async Task Sender_CancelTransfer_TellsTheReceiver_AndOffersTheNextFile()
    {
        var outbox = _temp.Sub("outbox");
        var first = TempFolder.WriteFile(outbox, "first.bin", 8 * 1024);
        var second = TempFolder.WriteFile(outbox, "second.bin", 10);
        var receiver = new PacketProbe(this);
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), receiver.HandlerProps);
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events.Ref, typeof(TransferStarted));
        Sys.EventStream.Subscribe(events.Ref, typeof(TransferFailed));
        var sender = Sys.ActorOf(FileSenderHandler.Props(new FileSenderOptions(ChunkSize: 1024, Window: 2)));
        LanNode.StartClient(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(sender)).Connect(server.LocalEndPoint);
        receiver.ExpectConnected(Patience);
        var script = new HashAwareReceiver(receiver);

        sender.Tell(new SendFile(first));
        sender.Tell(new SendFile(second));
        var id = script.Expect(FilerPackets.Offer, Patience).GetString("ID");
        receiver.Send(Packet.Create(FilerPackets.Accept).Set("ID", id).Set("FROM", 0).Build());
        Assert.Equal(id, events.ExpectMsg<TransferStarted>(Patience).Id);
        script.Expect(FilerPackets.Chunk, Patience);
        script.Expect(FilerPackets.Chunk, Patience);

        sender.Tell(new CancelTransfer(id, "the user pressed stop"));
        var cancel = script.Expect(FilerPackets.Cancel, Patience);
        Assert.Equal((id, "the user pressed stop"), (cancel.GetString("ID"), cancel.GetString("REASON")));
        var failed = events.ExpectMsg<TransferFailed>(Patience);
        Assert.Equal((id, TransferDirection.Sending, "the user pressed stop"), (failed.Id, failed.Direction, failed.Reason));
        var next = script.Expect(FilerPackets.Offer, Patience);
        Assert.Equal("second.bin", next.GetString("NAME"));
        Assert.NotEqual(id, next.GetString("ID"));
    }

    [Fact]
    public async Task Sender_CutAfterItsBackgroundHash_OffersTheFileAgainWithTheHash_SoTheReceiverCanResume()
    {
        var source = TempFolder.WriteFile(_temp.Sub("outbox"), "hashed.bin", 64 * 1024);
        var receiver = new PacketProbe(this);
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), receiver.HandlerProps);
        var sender = Sys.ActorOf(FileSenderHandler.Props(new FileSenderOptions(1024, 2) { HashBeforeOfferUpTo = 0 }));
        LanNode.StartClient(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(sender)).Connect(server.LocalEndPoint);
        receiver.ExpectConnected(Patience);
        var script = new HashAwareReceiver(receiver);

        sender.Tell(new SendFile(source));
        var first = script.Expect(FilerPackets.Offer, Patience);
        Assert.False(first.TryGet<string>("SHA256", out _));
        receiver.Send(Packet.Create(FilerPackets.Accept).Set("ID", first.GetString("ID")).Set("FROM", 0).Build());
        var hash = script.ExpectHash(Patience);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(source))), hash);
        receiver.Connection.Tell(Abort.Instance);
        receiver.ExpectDisconnected(timeout: Patience);

        // The client node reconnects; the same file is offered again, this time with its hash.
        receiver.ExpectConnected(Patience);
        var again = script.Expect(FilerPackets.Offer, Patience, skipChunks: true);
        Assert.NotEqual(first.GetString("ID"), again.GetString("ID"));
        Assert.Equal(hash, again.GetString("SHA256"));
    }

    [Fact]
    public async Task Sender_ReceiverThatStopsAnswering_IsCancelledAfterTheReceiverTimeout_AtTheOfferAndMidFile()
    {
        var outbox = _temp.Sub("outbox");
        var receiver = new PacketProbe(this);
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), receiver.HandlerProps);
        var failed = CreateTestProbe();
        Sys.EventStream.Subscribe(failed.Ref, typeof(TransferFailed));
        var options = new FileSenderOptions(ChunkSize: 1024, Window: 2) { ReceiverTimeout = TimeSpan.FromSeconds(2) };
        var sender = Sys.ActorOf(FileSenderHandler.Props(options));
        LanNode.StartClient(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(sender)).Connect(server.LocalEndPoint);
        receiver.ExpectConnected(Patience);
        // Two seconds: long enough for this spec to answer the second offer on a loaded machine.
        const string Silence = "the receiver did not answer within 2 s";

        // Nobody answers the offer.
        sender.Tell(new SendFile(TempFolder.WriteFile(outbox, "unanswered.bin", 100)));
        var offer = receiver.ExpectPacket(FilerPackets.Offer, timeout: Patience);
        var cancel = receiver.ExpectPacket(FilerPackets.Cancel, timeout: Patience);
        Assert.Equal((offer.GetString("ID"), Silence), (cancel.GetString("ID"), cancel.GetString("REASON")));
        Assert.Equal(Silence, failed.ExpectMsg<TransferFailed>(Patience).Reason);

        // Accepted, then never acknowledged: the window fills and the clock runs out.
        sender.Tell(new SendFile(TempFolder.WriteFile(outbox, "unacknowledged.bin", 10 * 1024)));
        var second = receiver.ExpectPacket(FilerPackets.Offer, timeout: Patience).GetString("ID");
        receiver.Send(Packet.Create(FilerPackets.Accept).Set("ID", second).Set("FROM", 0).Build());
        receiver.ExpectPacket(FilerPackets.Chunk, timeout: Patience);
        receiver.ExpectPacket(FilerPackets.Chunk, timeout: Patience);
        Assert.Equal(Silence, receiver.ExpectPacket(FilerPackets.Cancel, timeout: Patience).GetString("REASON"));
        Assert.Equal(Silence, failed.ExpectMsg<TransferFailed>(Patience).Reason);
    }

    [Fact]
    public void Sender_StoppedWhileItStillHoldsFiles_ReportsEachOneFailed()
    {
        var outbox = _temp.Sub("outbox");
        var failed = CreateTestProbe();
        Sys.EventStream.Subscribe(failed.Ref, typeof(TransferFailed));
        // No connection ever comes: the files wait, as a cut file waits for its connection to come back.
        var sender = Sys.ActorOf(FileSenderHandler.Props());
        sender.Tell(new SendFile(TempFolder.WriteFile(outbox, "one.bin", 10)));
        sender.Tell(new SendFile(TempFolder.WriteFile(outbox, "two.bin", 10)));
        // A stop overtakes ordinary messages: it waits until the two files are in the handler's queue.
        sender.Tell(new Identify("queued"), TestActor);
        ExpectMsg<ActorIdentity>();

        Sys.Stop(sender);

        var reports = new[] { failed.ExpectMsg<TransferFailed>(Patience), failed.ExpectMsg<TransferFailed>(Patience) };
        Assert.Equal(["one.bin", "two.bin"], reports.Select(report => report.Name));
        Assert.All(reports, report => Assert.Equal(("the sender stopped before the file was sent", TransferDirection.Sending), (report.Reason, report.Direction)));
    }

    [Fact]
    public async Task Receiver_StoppedMidTransfer_ReportsItFailed_SoNobodyCountsItInProgressForEver()
    {
        // Failed before this fix (checked on the commit before it): a receiver stopped with a transfer open published no end for it.
        var inbox = _temp.Sub("inbox");
        var failed = CreateTestProbe();
        Sys.EventStream.Subscribe(failed.Ref, typeof(TransferFailed));
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), FileReceiverHandler.Props(new FileReceiverOptions(inbox)));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        await peer.SendAsync(FilerWire.Offer("one", "half.bin", [1, 2, 3, 4]));
        await FilerWire.Expect(peer, FilerPackets.Accept);
        await peer.SendAsync(Packet.Create(FilerPackets.Chunk).Set("ID", "one").Set("OFFSET", 0).WithContent(new byte[] { 1, 2 }).Build());
        await FilerWire.Expect(peer, FilerPackets.Ack);

        Sys.Stop(await Sys.ActorSelection(server.Node.Path / "handler").ResolveOne(Patience));

        var report = failed.ExpectMsg<TransferFailed>(Patience);
        Assert.Equal(("one", "half.bin", TransferDirection.Receiving), (report.Id, report.Name, report.Direction));
        Assert.StartsWith("the receiver stopped", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receiver_CancelledBySender_RemovesThePart_AndAnswersTheNextOffer()
    {
        var inbox = _temp.Sub("inbox");
        var failed = CreateTestProbe();
        Sys.EventStream.Subscribe(failed.Ref, typeof(TransferFailed));
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), FileReceiverHandler.Props(new FileReceiverOptions(inbox)));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);

        await peer.SendAsync(FilerWire.Offer("one", "cancelled.bin", [1, 2, 3, 4]));
        Assert.Equal(0, FilerWire.Field(await FilerWire.Expect(peer, FilerPackets.Accept), "FROM"));
        await peer.SendAsync(Packet.Create(FilerPackets.Chunk).Set("ID", "one").Set("OFFSET", 0).WithContent(new byte[] { 1, 2 }).Build());
        Assert.Equal(2, FilerWire.Field(await FilerWire.Expect(peer, FilerPackets.Ack), "UPTO"));
        Assert.True(File.Exists(Path.Combine(inbox, "cancelled.bin.part")));
        await peer.SendAsync(Packet.Create(FilerPackets.Cancel).Set("ID", "one").Set("REASON", "changed my mind").Build());
        Assert.Contains("changed my mind", failed.ExpectMsg<TransferFailed>(Patience).Reason, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(inbox));

        // A chunk that does not continue the file ends that transfer, not the receiver.
        await peer.SendAsync(FilerWire.Offer("two", "gap.bin", [1, 2, 3, 4]));
        await FilerWire.Expect(peer, FilerPackets.Accept);
        await peer.SendAsync(Packet.Create(FilerPackets.Chunk).Set("ID", "two").Set("OFFSET", 2).WithContent(new byte[] { 3, 4 }).Build());
        Assert.Contains("does not continue the file", (await FilerWire.Expect(peer, FilerPackets.Cancel)).GetString("REASON"), StringComparison.Ordinal);
        failed.ExpectMsg<TransferFailed>(Patience);
        Assert.Empty(Directory.EnumerateFileSystemEntries(inbox));

        // A file whose bytes do not hash to the offered SHA-256 is not kept.
        var wrong = FilerWire.Offer("three", "wrong.bin", [1, 2, 3, 4]);
        await peer.SendAsync(wrong);
        await FilerWire.Expect(peer, FilerPackets.Accept);
        await peer.SendAsync(
            Packet.Create(FilerPackets.Chunk).Set("ID", "three").Set("OFFSET", 0).WithContent(new byte[] { 9, 9, 9, 9 }).Build(),
            Packet.Create(FilerPackets.Done).Set("ID", "three").Build());
        await FilerWire.Expect(peer, FilerPackets.Ack);
        var verdict = await FilerWire.Expect(peer, FilerPackets.Done);
        Assert.True(verdict.TryGet<bool>("OK", out var ok) && !ok);
        Assert.Contains("SHA-256 mismatch", verdict.GetString("REASON"), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(inbox));
    }

    [Fact]
    public async Task Receiver_ResumesOnlyTheSameFile_FromTheLengthItRecorded()
    {
        var inbox = _temp.Sub("inbox");
        var failed = CreateTestProbe();
        Sys.EventStream.Subscribe(failed.Ref, typeof(TransferFailed));
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), FileReceiverHandler.Props(new FileReceiverOptions(inbox)));
        byte[] content = [1, 2, 3, 4];

        using (var cut = await RawPeer.ConnectAsync(server.LocalEndPoint))
        {
            await cut.SendAsync(FilerWire.Offer("a", "r.bin", content));
            await FilerWire.Expect(cut, FilerPackets.Accept);
            await cut.SendAsync(Packet.Create(FilerPackets.Chunk).Set("ID", "a").Set("OFFSET", 0).WithContent(content.AsMemory(0, 2)).Build());
            await FilerWire.Expect(cut, FilerPackets.Ack);
            cut.Reset();
        }

        failed.ExpectMsg<TransferFailed>(Patience);
        Assert.Equal([1, 2], await File.ReadAllBytesAsync(Path.Combine(inbox, "r.bin.part")));
        Assert.True(File.Exists(Path.Combine(inbox, "r.bin.part.json")));

        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        // Another file of the same name does not resume: its bytes start again from zero.
        await peer.SendAsync(FilerWire.Offer("b", "r.bin", [1, 2, 3, 5]));
        Assert.Equal(0, FilerWire.Field(await FilerWire.Expect(peer, FilerPackets.Accept), "FROM"));
        await peer.SendAsync(Packet.Create(FilerPackets.Cancel).Set("ID", "b").Set("REASON", "wrong file").Build());
        failed.ExpectMsg<TransferFailed>(Patience);

        // Cancelled means gone, so the right file starts from zero as well; cut it again after two bytes.
        using (var second = await RawPeer.ConnectAsync(server.LocalEndPoint))
        {
            await second.SendAsync(FilerWire.Offer("c", "r.bin", content));
            Assert.Equal(0, FilerWire.Field(await FilerWire.Expect(second, FilerPackets.Accept), "FROM"));
            await second.SendAsync(Packet.Create(FilerPackets.Chunk).Set("ID", "c").Set("OFFSET", 0).WithContent(content.AsMemory(0, 2)).Build());
            await FilerWire.Expect(second, FilerPackets.Ack);
            second.Reset();
        }

        failed.ExpectMsg<TransferFailed>(Patience);
        await peer.SendAsync(FilerWire.Offer("d", "r.bin", content));
        Assert.Equal(2, FilerWire.Field(await FilerWire.Expect(peer, FilerPackets.Accept), "FROM"));
        await peer.SendAsync(
            Packet.Create(FilerPackets.Chunk).Set("ID", "d").Set("OFFSET", 2).WithContent(content.AsMemory(2)).Build(),
            Packet.Create(FilerPackets.Done).Set("ID", "d").Build());
        Assert.Equal(4, FilerWire.Field(await FilerWire.Expect(peer, FilerPackets.Ack), "UPTO"));
        Assert.True((await FilerWire.Expect(peer, FilerPackets.Done)).TryGet<bool>("OK", out var ok) && ok);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(inbox, "r.bin")));
        Assert.Equal(["r.bin"], Directory.EnumerateFileSystemEntries(inbox).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Receiver_ShortOfSpaceForAResume_RefusesIt_ButKeepsThePartForLater()
    {
        var inbox = _temp.Sub("inbox");
        var free = long.MaxValue;
        var failed = CreateTestProbe();
        Sys.EventStream.Subscribe(failed.Ref, typeof(TransferFailed));
        var options = new FileReceiverOptions(inbox) { FreeSpace = _ => Interlocked.Read(ref free) };
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), FileReceiverHandler.Props(options));
        byte[] content = [1, 2, 3, 4];
        using (var cut = await RawPeer.ConnectAsync(server.LocalEndPoint))
        {
            await cut.SendAsync(FilerWire.Offer("a", "s.bin", content));
            await FilerWire.Expect(cut, FilerPackets.Accept);
            await cut.SendAsync(Packet.Create(FilerPackets.Chunk).Set("ID", "a").Set("OFFSET", 0).WithContent(content.AsMemory(0, 2)).Build());
            await FilerWire.Expect(cut, FilerPackets.Ack);
            cut.Reset();
        }

        failed.ExpectMsg<TransferFailed>(Patience);
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        Interlocked.Exchange(ref free, 1);
        await peer.SendAsync(FilerWire.Offer("b", "s.bin", content));
        Assert.Equal("not enough free space: 2 bytes needed, 1 free", (await FilerWire.Expect(peer, FilerPackets.Reject)).GetString("REASON"));
        Assert.Equal([1, 2], await File.ReadAllBytesAsync(Path.Combine(inbox, "s.bin.part")));

        Interlocked.Exchange(ref free, 2);
        await peer.SendAsync(FilerWire.Offer("c", "s.bin", content));
        Assert.Equal(2, FilerWire.Field(await FilerWire.Expect(peer, FilerPackets.Accept), "FROM"));
    }

    [Fact]
    public async Task Receiver_OfferWithoutHash_ResumesOnlyOnceFileHashCame_AndRefusesDoneWithoutIt()
    {
        var inbox = _temp.Sub("inbox");
        var failed = CreateTestProbe();
        Sys.EventStream.Subscribe(failed.Ref, typeof(TransferFailed));
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), FileReceiverHandler.Props(new FileReceiverOptions(inbox)));
        byte[] content = [1, 2, 3, 4];
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);

        // Cut before FILE_HASH: the sidecar cannot name the file, so even the same file starts again.
        await CutAfterTwoBytesAsync(server, FilerWire.Offer("a", "h.bin", content, withHash: false), hash: null);
        failed.ExpectMsg<TransferFailed>(Patience);
        await peer.SendAsync(FilerWire.Offer("b", "h.bin", content));
        Assert.Equal(0, FilerWire.Field(await FilerWire.Expect(peer, FilerPackets.Accept), "FROM"));
        await peer.SendAsync(Packet.Create(FilerPackets.Cancel).Set("ID", "b").Set("REASON", "again").Build());
        failed.ExpectMsg<TransferFailed>(Patience);

        // FILE_DONE with every byte but no hash ends the transfer.
        await peer.SendAsync(FilerWire.Offer("c", "h.bin", content, withHash: false));
        await FilerWire.Expect(peer, FilerPackets.Accept);
        await peer.SendAsync(
            Packet.Create(FilerPackets.Chunk).Set("ID", "c").Set("OFFSET", 0).WithContent(content).Build(),
            Packet.Create(FilerPackets.Done).Set("ID", "c").Build());
        await FilerWire.Expect(peer, FilerPackets.Ack);
        Assert.Contains("before the file's SHA-256", (await FilerWire.Expect(peer, FilerPackets.Cancel)).GetString("REASON"), StringComparison.Ordinal);
        failed.ExpectMsg<TransferFailed>(Patience);
        Assert.Empty(Directory.EnumerateFileSystemEntries(inbox));

        // Cut after FILE_HASH: the same file offered again by a sender that started over (no hash in the offer)
        // is answered only once its FILE_HASH came, and resumes.
        await CutAfterTwoBytesAsync(server, FilerWire.Offer("d", "h.bin", content, withHash: false), hash: sha256);
        failed.ExpectMsg<TransferFailed>(Patience);
        // Parked, as the receiver says, rather than answered: only the FILE_HASH below lets it answer.
        await EventFilter.Info(start: "h.bin: waiting for the sender's FILE_HASH").ExpectOneAsync(
            () => peer.SendAsync(FilerWire.Offer("e", "h.bin", content, withHash: false)));
        var answer = peer.ReadAsync();
        await peer.SendAsync(Packet.Create(FilerPackets.Hash).Set("ID", "e").Set("SHA256", sha256).Build());
        var accept = await answer.WaitAsync(Patience);
        Assert.Equal((FilerPackets.Accept, 2L), (accept!.Type, FilerWire.Field(accept, "FROM")));
        await peer.SendAsync(
            Packet.Create(FilerPackets.Chunk).Set("ID", "e").Set("OFFSET", 2).WithContent(content.AsMemory(2)).Build(),
            Packet.Create(FilerPackets.Done).Set("ID", "e").Build());
        await FilerWire.Expect(peer, FilerPackets.Ack);
        Assert.True((await FilerWire.Expect(peer, FilerPackets.Done)).TryGet<bool>("OK", out var ok) && ok);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(inbox, "h.bin")));

        // A FILE_HASH that contradicts the offer's ends the transfer.
        await peer.SendAsync(FilerWire.Offer("f", "i.bin", content), Packet.Create(FilerPackets.Hash).Set("ID", "f").Set("SHA256", new string('a', 64)).Build());
        await FilerWire.Expect(peer, FilerPackets.Accept);
        Assert.Contains("FILE_HASH", (await FilerWire.Expect(peer, FilerPackets.Cancel)).GetString("REASON"), StringComparison.Ordinal);
    }

    private static async Task CutAfterTwoBytesAsync(LanServer server, Packet offer, string? hash)
    {
        using var cut = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var id = offer.GetString("ID");
        await cut.SendAsync(offer);
        await FilerWire.Expect(cut, FilerPackets.Accept);
        if (hash is not null)
        {
            await cut.SendAsync(Packet.Create(FilerPackets.Hash).Set("ID", id).Set("SHA256", hash).Build());
        }

        await cut.SendAsync(Packet.Create(FilerPackets.Chunk).Set("ID", id).Set("OFFSET", 0).WithContent(new byte[] { 1, 2 }).Build());
        await FilerWire.Expect(cut, FilerPackets.Ack);
        cut.Reset();
    }

    public new void Dispose()
    {
        base.Dispose();
        _temp.Dispose();
    }
}
