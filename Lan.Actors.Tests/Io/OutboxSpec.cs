using System.Buffers;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Io;

/// <summary>A connection's send queue on its own: its limit, its refusals and how it cuts batches.</summary>
public sealed class OutboxSpec
{
    private const int BatchBytes = 256 * 1024;

    private static Outbox NewOutbox() => new(ProtocolSettings.Default);

    private static byte[] Encoded(params Packet[] packets)
    {
        var writer = new ArrayBufferWriter<byte>();
        new FrameEncoder().Write(packets, writer);
        return writer.WrittenSpan.ToArray();
    }

    // A BLOB whose whole frame (prefix, JSON and content) is exactly frameLength bytes; the JSON holds the
    // content's length, so the content is corrected until the digits settle.
    private static Packet BlobOfFrameLength(long frameLength)
    {
        var content = (int)frameLength;
        var blob = Packet.Create("BLOB").WithContent(new byte[content]).Build();
        while (blob.FrameLength != frameLength)
        {
            content -= (int)(blob.FrameLength - frameLength);
            blob = Packet.Create("BLOB").WithContent(new byte[content]).Build();
        }

        return blob;
    }

    [Fact]
    public void TryEnqueue_TakesUpToTheLimit_ThenRefusesAsQueueFull()
    {
        var outbox = NewOutbox();
        Assert.Null(outbox.TryEnqueue(RawPeer.Message("1"), limit: 2, byteLimit: long.MaxValue));
        Assert.Null(outbox.TryEnqueue(RawPeer.Message("2"), limit: 2, byteLimit: long.MaxValue));
        Assert.Equal(SendRefusal.QueueFull, outbox.TryEnqueue(RawPeer.Message("3"), limit: 2, byteLimit: long.MaxValue));
    }

    [Fact]
    public void TryEnqueue_RefusesAsQueueFull_OncePacketsWouldPassTheByteLimit_AndTakesMoreAsTheQueueDrains()
    {
        var outbox = NewOutbox();
        var kib = Packet.Create("BLOB").WithContent(new byte[1000]).Build();
        var byteLimit = (2 * kib.FrameLength) + 10;

        Assert.Null(outbox.TryEnqueue(kib, limit: 1000, byteLimit));
        Assert.Null(outbox.TryEnqueue(kib, limit: 1000, byteLimit));
        Assert.Equal(SendRefusal.QueueFull, outbox.TryEnqueue(kib, limit: 1000, byteLimit));
        Assert.Equal(2 * kib.FrameLength, outbox.QueuedBytes);

        outbox.EncodeBatch();
        outbox.Sent((int)(2 * kib.FrameLength));
        Assert.Equal(0, outbox.QueuedBytes);
        Assert.Null(outbox.TryEnqueue(kib, limit: 1000, byteLimit));
    }

    [Fact]
    public void TryEnqueue_APacketLargerThanTheByteLimit_IsSentAlone_NeverBehindOthers()
    {
        var outbox = NewOutbox();
        var big = Packet.Create("BLOB").WithContent(new byte[10_000]).Build();

        Assert.Null(outbox.TryEnqueue(big, limit: 1000, byteLimit: 1024));
        Assert.Equal(SendRefusal.QueueFull, outbox.TryEnqueue(RawPeer.Message("behind"), limit: 1000, byteLimit: 1024));
    }

    [Fact]
    public void TryEnqueue_APacketOverTheLimits_IsRefusedAsTooLarge_AndNotQueued()
    {
        var outbox = NewOutbox();
        var huge = Packet.Create("BLOB").WithContent(new byte[ProtocolSettings.Default.MaxContentSize + 1]).Build();
        Assert.Equal(SendRefusal.TooLarge, outbox.TryEnqueue(huge, limit: 10, byteLimit: long.MaxValue));
        Assert.False(outbox.HasPending);
    }

    [Fact]
    public void EnqueueFinal_IsNeverRefused_EvenWithTheQueueFull()
    {
        var outbox = NewOutbox();
        Assert.Null(outbox.TryEnqueue(RawPeer.Message("last data"), limit: 1, byteLimit: long.MaxValue));
        outbox.EnqueueFinal(Packet.From(new Disconnect("bye")));
        Assert.Equal(Encoded(RawPeer.Message("last data"), Packet.From(new Disconnect("bye"))), outbox.EncodeBatch().ToArray());
        Assert.False(outbox.HasPending);
    }

    [Fact]
    public void EncodeBatch_WritesQueuedPackets_BackToBack_AsTheEncoderWould()
    {
        var outbox = NewOutbox();
        Packet[] packets = [RawPeer.Message("a"), Packet.Create("BLOB").WithContent(new byte[] { 1, 2, 3 }).Build(), RawPeer.Message("b")];
        foreach (var packet in packets)
        {
            Assert.Null(outbox.TryEnqueue(packet, limit: 10, byteLimit: long.MaxValue));
        }

        Assert.True(outbox.HasPending);
        Assert.Equal(Encoded(packets), outbox.EncodeBatch().ToArray());
        Assert.False(outbox.HasPending);
    }

    [Fact]
    public void EncodeBatch_FillsABatchUpToItsSizeExactly_AndLeavesTheRestForTheNext()
    {
        var outbox = NewOutbox();
        var half = BlobOfFrameLength(BatchBytes / 2);
        var one = RawPeer.Message("next batch");
        outbox.EnqueueFinal(half);
        outbox.EnqueueFinal(half);
        outbox.EnqueueFinal(one);
        Assert.Equal(Encoded(half, half), outbox.EncodeBatch().ToArray());
        Assert.True(outbox.HasPending);
        outbox.Sent(BatchBytes);
        Assert.Equal(Encoded(one), outbox.EncodeBatch().ToArray());
        Assert.False(outbox.HasPending);
    }

    [Fact]
    public void EncodeBatch_APacketLargerThanABatch_IsSentAlone()
    {
        var outbox = NewOutbox();
        var big = BlobOfFrameLength(BatchBytes + 10);
        var small = RawPeer.Message("after");
        outbox.EnqueueFinal(big);
        outbox.EnqueueFinal(small);
        Assert.Equal(Encoded(big), outbox.EncodeBatch().ToArray());
        outbox.Sent((int)big.FrameLength);
        Assert.Equal(Encoded(small), outbox.EncodeBatch().ToArray());
    }

    [Fact]
    public void Sent_CountsThePacketsAndBytesOfTheBatch_Once()
    {
        var outbox = NewOutbox();
        outbox.EnqueueFinal(RawPeer.Message("a"));
        outbox.EnqueueFinal(RawPeer.Message("b"));
        var length = outbox.EncodeBatch().Length;
        outbox.Sent(length);
        Assert.Equal(2, outbox.PacketsSent);
        Assert.Equal(length, outbox.BytesSent);

        outbox.EnqueueFinal(RawPeer.Message("c"));
        var more = outbox.EncodeBatch().Length;
        outbox.Sent(more);
        outbox.Sent(0);
        Assert.Equal(3, outbox.PacketsSent);
        Assert.Equal(length + more, outbox.BytesSent);
    }
}
