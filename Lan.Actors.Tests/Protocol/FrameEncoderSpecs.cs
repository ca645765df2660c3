using System.Buffers;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

public sealed class FrameEncoderSpecs
{
    [Fact]
    public void Batch_WritesFramesBackToBack()
    {
        var writer = new ArrayBufferWriter<byte>();

        new FrameEncoder().Write([Packet.From(new Ping()), Packet.From(new TextMessage("hi"))], writer);

        Assert.Equal([.. ProtocolVectors.PingFrame.Bytes, .. ProtocolVectors.MessageFrame.Bytes], writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void BatchWithOnePacketTooLarge_WritesNothing()
    {
        var encoder = new FrameEncoder(ProtocolSettings.Default with { MaxFrameSize = 100 });
        var writer = new ArrayBufferWriter<byte>();
        Packet large = Packet.From(new TextMessage(new string('x', 200)));

        ProtocolException error = Assert.Throws<ProtocolException>(() => encoder.Write([Packet.From(new Ping()), large], writer));

        Assert.Equal(ProtocolError.FrameTooLarge, error.Reason);
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void ContentAboveLimit_IsRefusedBeforeSending()
    {
        var encoder = new FrameEncoder(ProtocolSettings.Default with { MaxContentSize = 4 });
        Packet packet = Packet.Create("BLOB").WithContent(new byte[5]).Build();

        ProtocolException error = Assert.Throws<ProtocolException>(() => encoder.Write(packet, new ArrayBufferWriter<byte>()));

        Assert.Equal(ProtocolError.ContentTooLarge, error.Reason);
    }

    [Fact]
    public void AlreadyEncodedPacket_IsWrittenWithoutAllocating()
    {
        var encoder = new FrameEncoder();
        var writer = new ArrayBufferWriter<byte>(1024);
        Packet packet = Packet.From(new TextMessage(new string('m', 100)));
        encoder.Write(packet, writer);
        writer.ResetWrittenCount();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            writer.ResetWrittenCount();
            encoder.Write(packet, writer);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void LargeFrame_IsWrittenInWhateverPiecesTheWriterOffers()
    {
        byte[] content = new byte[100_000];
        new Random(3).NextBytes(content);
        Packet packet = Packet.Create("BLOB").Set("NAME", new string('n', 10_000)).WithContent(content).Build();
        var writer = new SmallPiecesWriter(pieceSize: 7);

        new FrameEncoder().Write(packet, writer);

        Assert.Equal(packet, Assert.Single(StreamFeeding.DecodeAll(writer.Written.ToArray())));
    }

    /// <summary>A writer that never offers more than a few bytes at once, like a pipe with tiny segments.</summary>
    private sealed class SmallPiecesWriter(int pieceSize) : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _piece = [];

        public IReadOnlyList<byte> Written => _written;

        public void Advance(int count) => _written.AddRange(_piece.AsSpan(0, count));

        public Memory<byte> GetMemory(int sizeHint = 0) => _piece = new byte[Math.Max(sizeHint, pieceSize)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
