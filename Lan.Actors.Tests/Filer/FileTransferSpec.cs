using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Akka.Actor;
using Akka.TestKit;
using Lan.Actors.Filer;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Filer;

/// <summary>Files from a <see cref="FileSenderHandler"/> client node to a <see cref="FileReceiverHandler"/> server node over loopback.</summary>
public sealed class FileTransferSpec : LanTestKit, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TempFolder _temp = new();
    private readonly ITestOutputHelper _output;

    public FileTransferSpec(ITestOutputHelper output)
        : base("lan.tcp { port = 0, close-timeout = 300ms }", output) => _output = output;

    private string Outbox => _temp.Sub("outbox");

    private string Inbox => _temp.Sub("inbox");

    [Fact]
    public async Task SeveralFiles_OnOneConnection_ArriveWithTheSameSha256_EmptyAndMultiChunkIncluded_NothingOverwritten()
    {
        string[] sources = [TempFolder.WriteFile(Outbox, "empty.bin", 0), TempFolder.WriteFile(Outbox, "small.txt", 100), TempFolder.WriteFile(Outbox, "multi.bin", (10 * 4096) + 17)];
        File.WriteAllText(Path.Combine(Inbox, "small.txt"), "already here");
        var events = Subscribe(typeof(TransferCompleted), typeof(TransferFailed));
        var server = await StartReceiver(new FileReceiverOptions(Inbox));
        var sender = StartSender(new FileSenderOptions(ChunkSize: 4096, Window: 3), server.LocalEndPoint);

        foreach (var source in sources)
        {
            sender.Tell(new SendFile(source));
        }

        var received = ExpectCompleted(events, sources.Length);
        Assert.Equal(["empty.bin", "small.txt", "multi.bin"], received.Select(done => done.Name));
        foreach (var (source, done) in sources.Zip(received))
        {
            Assert.Equal(Sha256(source), Sha256(done.Path));
            Assert.Equal(new FileInfo(source).Length, done.Size);
        }

        Assert.Equal(Path.Combine(Inbox, "small (1).txt"), received[1].Path);
        Assert.Equal("already here", File.ReadAllText(Path.Combine(Inbox, "small.txt")));
        Assert.Empty(Directory.EnumerateFiles(Inbox, "*.part*"));
    }

    [Fact]
    public async Task CutTransfer_ResumesFromTheVerifiedLength_AndEndsWithTheSameSha256()
    {
        var source = TempFolder.WriteFile(Outbox, "big.bin", 256 * 1024);
        var events = Subscribe(typeof(TransferStarted), typeof(TransferCompleted), typeof(TransferFailed));
        var server = await StartReceiver(new FileReceiverOptions(Inbox));
        await using var proxy = ChaosProxy.Start(server.LocalEndPoint, seed: 7, _output.WriteLine);
        // The sender's link is reset after 100 kB towards the receiver: some 24 chunks of 4 KiB got through.
        var cut = proxy.Upstream.Add(new CloseFault(CloseKind.Reset, AfterBytes: 100_000));
        var sender = StartSender(new FileSenderOptions(ChunkSize: 4096, Window: 4), proxy.EndPoint);

        sender.Tell(new SendFile(source));
        Assert.Equal(0, events.ExpectMsg<TransferStarted>(started => started.Direction == TransferDirection.Receiving, Patience).From);
        await cut.WhenApplied(1).WaitAsync(Patience);
        proxy.Upstream.Remove(cut);
        var interrupted = events.FishForMessage<TransferFailed>(failed => failed.Direction == TransferDirection.Receiving, Patience);
        _output.WriteLine($"interrupted: {interrupted.Reason}");

        // The client node reconnects by itself and the sender offers the cut file again.
        var resumed = events.FishForMessage<TransferStarted>(started => started.Direction == TransferDirection.Receiving, Patience);
        _output.WriteLine($"resumed from {resumed.From}");
        Assert.InRange(resumed.From, 1, 100_000);
        Assert.Equal(0, resumed.From % 4096);
        var done = events.FishForMessage<TransferCompleted>(completed => completed.Direction == TransferDirection.Receiving, Patience);
        Assert.Equal(Sha256(source), Sha256(done.Path));
        Assert.Equal(Path.Combine(Inbox, "big.bin"), done.Path);
        Assert.Empty(Directory.EnumerateFiles(Inbox, "*.part*"));
    }

    [Fact]
    public async Task DiskFullMidTransfer_RemovesThePart_TellsTheSender_AndTheNextTransferSucceeds()
    {
        var first = TempFolder.WriteFile(Outbox, "first.bin", 64 * 1024);
        var second = TempFolder.WriteFile(Outbox, "second.bin", 64 * 1024);
        var opened = 0;
        var options = new FileReceiverOptions(Inbox)
        {
            // The first .part fills the disk after 20,000 bytes; later ones have room.
            OpenPart = path => Interlocked.Increment(ref opened) == 1 ? new DiskFullStream(path, 20_000) : new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write),
        };
        var events = Subscribe(typeof(TransferCompleted), typeof(TransferFailed));
        var server = await StartReceiver(options);
        var sender = StartSender(new FileSenderOptions(ChunkSize: 4096, Window: 2), server.LocalEndPoint);

        sender.Tell(new SendFile(first));
        var failures = new[] { events.ExpectMsg<TransferFailed>(Patience), events.ExpectMsg<TransferFailed>(Patience) };
        var receiving = Assert.Single(failures, failed => failed.Direction == TransferDirection.Receiving);
        var sending = Assert.Single(failures, failed => failed.Direction == TransferDirection.Sending);
        Assert.Contains("No space left on device", receiving.Reason, StringComparison.Ordinal);
        Assert.Contains("cancelled by the receiver", sending.Reason, StringComparison.Ordinal);
        Assert.Contains("No space left on device", sending.Reason, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Inbox));

        sender.Tell(new SendFile(second));
        var done = ExpectCompleted(events, 1)[0];
        Assert.Equal(Sha256(second), Sha256(done.Path));
        Assert.Equal(["second.bin"], Directory.EnumerateFileSystemEntries(Inbox).Select(Path.GetFileName));
    }

    [Fact]
    public async Task OfferLargerThanTheFreeSpace_IsRefusedUpFront_AndNothingIsWritten()
    {
        var source = TempFolder.WriteFile(Outbox, "too-big.bin", 1000);
        var events = Subscribe(typeof(TransferCompleted), typeof(TransferFailed));
        var server = await StartReceiver(new FileReceiverOptions(Inbox) { FreeSpace = _ => 999 });
        var sender = StartSender(new FileSenderOptions(), server.LocalEndPoint);

        sender.Tell(new SendFile(source));
        var failures = new[] { events.ExpectMsg<TransferFailed>(Patience), events.ExpectMsg<TransferFailed>(Patience) };
        Assert.All(failures, failed => Assert.Contains("not enough free space: 1000 bytes needed, 999 free", failed.Reason, StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Inbox));
    }

    [Fact]
    public async Task HostileName_IsRefused_AndNothingIsWritten()
    {
        var events = Subscribe(typeof(TransferFailed));
        var server = await StartReceiver(new FileReceiverOptions(Inbox));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        await peer.SendAsync(Lan.Actors.Protocol.Packet.Create(FilerPackets.Offer).Set("ID", "x").Set("NAME", "../../escape.txt")
            .Set("SIZE", 3).Set("SHA256", new string('0', 64)).Set("CHUNK", 4096).Build());

        var reject = await peer.ReadAsync();
        Assert.Equal(FilerPackets.Reject, reject!.Type);
        Assert.StartsWith("unsafe name", reject.GetString("REASON"), StringComparison.Ordinal);
        events.ExpectMsg<TransferFailed>(Patience);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Inbox));
        Assert.Equal(["inbox"], Directory.EnumerateFileSystemEntries(_temp.Path).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(_temp.Path, "..", "escape.txt")));
    }

    [Fact]
    public async Task SenderThatStartedOver_OffersWithoutTheHash_AndTheReceiverStillResumes()
    {
        var source = TempFolder.WriteFile(Outbox, "again.bin", 1024 * 1024);
        var events = Subscribe(typeof(TransferStarted), typeof(TransferCompleted));
        var server = await StartReceiver(new FileReceiverOptions(Inbox) { CheckpointBytes = 4096 });
        await using var proxy = ChaosProxy.Start(server.LocalEndPoint, seed: 8, _output.WriteLine);
        // Slow enough that the first sender is stopped mid-file.
        proxy.Upstream.Add(new BandwidthFault(128 * 1024));
        var options = new FileSenderOptions(ChunkSize: 4096, Window: 4) { HashBeforeOfferUpTo = 0 };
        var first = Sys.ActorOf(FileSenderHandler.Props(options));
        var firstClient = LanNode.StartClient(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(first));
        firstClient.Connect(proxy.EndPoint);

        first.Tell(new SendFile(source));
        var sidecar = Path.Combine(Inbox, "again.bin.part.json");
        await AwaitConditionAsync(() => Task.FromResult(RecordedHash(sidecar) is { Length: > 0 } recorded && recorded.Sha256 == Sha256(source)), Patience);
        await firstClient.StopAsync(Patience);
        Sys.Stop(first);

        // A new sender knows nothing of the first: its offer has no hash, and the receiver waits for its FILE_HASH.
        StartSender(options, server.LocalEndPoint).Tell(new SendFile(source));
        var resumed = events.FishForMessage<TransferStarted>(started => started.Direction == TransferDirection.Receiving && started.From > 0, Patience);
        _output.WriteLine($"resumed from {resumed.From}");
        var done = events.FishForMessage<TransferCompleted>(completed => completed.Direction == TransferDirection.Receiving, Patience);
        Assert.Equal(Sha256(source), Sha256(done.Path));
    }

    private static (string? Sha256, long Length)? RecordedHash(string sidecar)
    {
        try
        {
            using var record = JsonDocument.Parse(File.ReadAllBytes(sidecar));
            var root = record.RootElement;
            return (root.GetProperty("Sha256").GetString(), root.GetProperty("Length").GetInt64());
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    public new void Dispose()
    {
        base.Dispose();
        _temp.Dispose();
    }

    private Task<LanServer> StartReceiver(FileReceiverOptions options) =>
        LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), FileReceiverHandler.Props(options));

    private IActorRef StartSender(FileSenderOptions options, IPEndPoint receiver)
    {
        var sender = Sys.ActorOf(FileSenderHandler.Props(options));
        LanNode.StartClient(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(sender)).Connect(receiver);
        return sender;
    }

    private TestProbe Subscribe(params Type[] events)
    {
        var probe = CreateTestProbe();
        foreach (var type in events)
        {
            Sys.EventStream.Subscribe(probe.Ref, type);
        }

        return probe;
    }

    /// <summary>The receiver's <see cref="TransferCompleted"/> of <paramref name="count"/> files, each matched by the sender's; fails on any failure.</summary>
    private static List<TransferCompleted> ExpectCompleted(TestProbe events, int count)
    {
        var received = new List<TransferCompleted>();
        var sent = 0;
        while (received.Count < count || sent < count)
        {
            var next = events.ExpectMsg<object>(Patience);
            switch (next)
            {
                case TransferCompleted { Direction: TransferDirection.Receiving } done:
                    received.Add(done);
                    break;
                case TransferCompleted:
                    sent++;
                    break;
                default:
                    Assert.Fail($"expected completed transfers, got {next}");
                    break;
            }
        }

        return received;
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>A .part on a disk that fills after <paramref name="room"/> bytes: the next write throws ENOSPC's IOException.</summary>
    private sealed class DiskFullStream(string path, long room) : FileStream(path, FileMode.OpenOrCreate, FileAccess.Write)
    {
        // FileStream routes a derived class's span writes to the array overload, so each overload checks and calls its base.
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Check(count);
            base.Write(buffer, offset, count);
        }

        private void Check(int count)
        {
            if (Position + count > room)
            {
                throw new IOException("No space left on device");
            }
        }
    }
}
