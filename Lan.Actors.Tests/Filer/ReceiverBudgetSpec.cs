using Lan.Actors.Filer;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Filer;

/// <summary>
/// What a sending peer can make a receiver spend is bounded: disk space is promised to the transfers in progress, a
/// connection has a few offers at a time, a cut offer leaves no litter, abandoned <c>.part</c> files expire, and no
/// reason sent to a peer says where this machine keeps its files.
/// </summary>
public sealed class ReceiverBudgetSpec : LanTestKit, IDisposable
{
    private const long MiB = 1 << 20;
    private readonly TempFolder _temp = new();

    public ReceiverBudgetSpec(ITestOutputHelper output)
        : base("lan.tcp { port = 0, close-timeout = 300ms }", output)
    {
    }

    private string Inbox => _temp.Sub("inbox");

    [Fact]
    public async Task OffersTogetherLargerThanTheFreeSpace_AreNotAllAccepted_ForTheSpaceIsPromisedToThoseInProgress()
    {
        // Five parallel 40 MiB offers onto a 64 MiB disk were all accepted, and filled it.
        var peer = await ConnectToReceiver(new FileReceiverOptions(Inbox) { FreeSpace = _ => 64 * MiB });

        await peer.SendAsync(Offer("a", "a.bin", 30 * MiB), Offer("b", "b.bin", 30 * MiB), Offer("c", "c.bin", 30 * MiB));

        await FilerWire.Expect(peer, FilerPackets.Accept);
        await FilerWire.Expect(peer, FilerPackets.Accept);
        var refused = await FilerWire.Expect(peer, FilerPackets.Reject);
        Assert.Equal("c", refused.GetString("ID"));
        Assert.Equal($"not enough free space: {30 * MiB} bytes needed, {64 * MiB} free of which {60 * MiB} are promised to transfers in progress", refused.GetString("REASON"));
    }

    [Fact]
    public async Task ARefusedOffersHugeNameAndId_GoOnInItsEvent_OnlyAsTheirFirstCharacters()
    {
        // Before (checked on d50b9b8): the event carried the name and the ID as sent, 200,000 characters each, into
        // every subscriber (the web page keeps 100 of them); an ID of any length was taken.
        var failed = CreateTestProbe();
        Sys.EventStream.Subscribe(failed.Ref, typeof(TransferFailed));
        var peer = await ConnectToReceiver(new FileReceiverOptions(Inbox));
        var hugeId = new string('i', 200_000);

        await peer.SendAsync(Offer("1", new string('n', 200_000), 10), Offer(hugeId, "fine.bin", 10));

        Assert.StartsWith("unsafe name", (await FilerWire.Expect(peer, FilerPackets.Reject)).GetString("REASON"), StringComparison.Ordinal);
        var idRefused = await FilerWire.Expect(peer, FilerPackets.Reject);
        Assert.Equal(hugeId, idRefused.GetString("ID"));
        Assert.Equal("the transfer ID is longer than 128 characters", idRefused.GetString("REASON"));
        var byName = failed.ExpectMsg<TransferFailed>();
        Assert.Equal(new string('n', 200) + "…", byName.Name);
        var byId = failed.ExpectMsg<TransferFailed>();
        Assert.Equal(new string('i', 128) + "…", byId.Id);
    }

    [Fact]
    public async Task OneConnection_HasAtMostMaxOffersPerPeerInProgress_WhileAnotherConnectionIsStillServed()
    {
        var options = new FileReceiverOptions(Inbox) { MaxOffersPerPeer = 2 };
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), FileReceiverHandler.Props(options));
        using var greedy = await RawPeer.ConnectAsync(server.LocalEndPoint);

        await greedy.SendAsync(Offer("1", "one.bin", 10), Offer("2", "two.bin", 10), Offer("3", "three.bin", 10));

        await FilerWire.Expect(greedy, FilerPackets.Accept);
        await FilerWire.Expect(greedy, FilerPackets.Accept);
        Assert.Contains("lan.filer.max-offers-per-peer", (await FilerWire.Expect(greedy, FilerPackets.Reject)).GetString("REASON"), StringComparison.Ordinal);
        Assert.Equal(2, Directory.EnumerateFiles(Inbox, "*.part").Count());
        using var other = await RawPeer.ConnectAsync(server.LocalEndPoint);
        await other.SendAsync(Offer("1", "other.bin", 10));
        await FilerWire.Expect(other, FilerPackets.Accept);
    }

    [Fact]
    public async Task ACutConnection_LeavesNoPartThatHoldsNothingVerified_ButKeepsOneThatCanResume()
    {
        var failed = CreateTestProbe();
        Sys.EventStream.Subscribe(failed.Ref, typeof(TransferFailed));
        var peer = await ConnectToReceiver(new FileReceiverOptions(Inbox));
        byte[] content = [1, 2, 3, 4];

        await peer.SendAsync(Offer("empty", "nothing.bin", 100), FilerWire.Offer("half", "half.bin", content));
        await FilerWire.Expect(peer, FilerPackets.Accept);
        await FilerWire.Expect(peer, FilerPackets.Accept);
        await peer.SendAsync(Packet.Create(FilerPackets.Chunk).Set("ID", "half").Set("OFFSET", 0).WithContent(content.AsMemory(0, 2)).Build());
        await FilerWire.Expect(peer, FilerPackets.Ack);
        peer.Reset();
        failed.ExpectMsg<TransferFailed>();
        failed.ExpectMsg<TransferFailed>();

        // Before: 3,000 offers left 6,000 junk files behind (a .part and its sidecar each).
        Assert.Equal(["half.bin.part", "half.bin.part.json"], Directory.EnumerateFiles(Inbox).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PartFilesNobodyResumed_ExpireWhenTheReceiverStarts_AndNewerOnesStay()
    {
        var old = DateTime.UtcNow - TimeSpan.FromDays(8);
        foreach (var file in new[] { "old.bin.part", "old.bin.part.json", "orphan.bin.part.json" })
        {
            await File.WriteAllTextAsync(Path.Combine(Inbox, file), "{}");
            File.SetLastWriteTimeUtc(Path.Combine(Inbox, file), old);
        }

        await File.WriteAllTextAsync(Path.Combine(Inbox, "recent.bin.part"), "x");
        await File.WriteAllTextAsync(Path.Combine(Inbox, "kept.txt"), "not ours");
        File.SetLastWriteTimeUtc(Path.Combine(Inbox, "kept.txt"), old);

        using var peer = await ConnectToReceiver(new FileReceiverOptions(Inbox) { PartExpireAfter = TimeSpan.FromDays(7) });

        // The sweep runs as the receiver starts, which a connected socket does not wait for (a busy machine showed it).
        await AwaitAssertAsync(() => Assert.Equal(["kept.txt", "recent.bin.part"], Directory.EnumerateFiles(Inbox).Select(Path.GetFileName).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task AReasonSentToThePeer_NeverSaysWhereTheReceiveFolderIs()
    {
        var options = new FileReceiverOptions(Inbox) { OpenPart = path => throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.") };
        var peer = await ConnectToReceiver(options);

        await peer.SendAsync(Offer("x", "secret.bin", 10));

        var reason = (await FilerWire.Expect(peer, FilerPackets.Reject)).GetString("REASON");
        Assert.Equal("cannot write in the receive folder: Access to the path 'secret.bin.part' is denied.", reason);
        Assert.DoesNotContain(Path.GetFullPath(Inbox), reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLimits_AreReadFromLanFiler()
    {
        var options = FileReceiverOptions.FromConfig("in", LanTestConfiguration.Build("lan.filer { max-offers-per-peer = 9, part-expire-after = 2d, part-sweep-interval = 1h }"));

        Assert.Equal((9, TimeSpan.FromDays(2), TimeSpan.FromHours(1)), (options.MaxOffersPerPeer, options.PartExpireAfter, options.PartSweepInterval));
        Assert.Equal(4, FileReceiverOptions.FromConfig("in", LanTestConfiguration.Build("")).MaxOffersPerPeer);
    }

    public new void Dispose()
    {
        base.Dispose();
        _temp.Dispose();
    }

    private static Packet Offer(string id, string name, long size) =>
        Packet.From(new FileOffer(id, name, size, 1024, new string('0', 64)));

    private async Task<RawPeer> ConnectToReceiver(FileReceiverOptions options)
    {
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), FileReceiverHandler.Props(options));
        return await RawPeer.ConnectAsync(server.LocalEndPoint);
    }
}
