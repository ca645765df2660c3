using System.Buffers;
using System.Text;
using Lan.Actors.Hocon;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

/// <summary>
/// Every limit of docs/PROTOCOL.md at its boundary: the value itself is allowed, one more is refused, on both the
/// receiving and the sending side. An off-by-one in any comparison fails one of these.
/// </summary>
public sealed class LimitBoundarySpec
{
    // {"TYPE":"X","P":""} is 19 bytes; the padding string makes a packet of any larger length.
    private const int EmptyPaddedLength = 19;

    private static byte[] JsonOfLength(int length) =>
        Encoding.ASCII.GetBytes("{\"TYPE\":\"X\",\"P\":\"" + new string('p', length - EmptyPaddedLength) + "\"}");

    [Fact]
    public void Decode_DatagramOfExactlyMaxSize_IsAccepted()
    {
        byte[] datagram = JsonOfLength(ProtocolSettings.Default.MaxDatagramSize);

        Packet packet = new DatagramCodec().Decode(datagram);

        Assert.Equal("X", packet.Type);
        Assert.Equal(datagram, packet.Json.ToArray());
    }

    [Fact]
    public void Decode_DatagramOneByteOverMaxSize_IsDatagramTooLarge()
    {
        byte[] datagram = JsonOfLength(ProtocolSettings.Default.MaxDatagramSize + 1);

        ProtocolException error = Assert.Throws<ProtocolException>(() => new DatagramCodec().Decode(datagram));

        Assert.Equal(ProtocolError.DatagramTooLarge, error.Reason);
        Assert.Contains("datagram of 1401 bytes exceeds lan.protocol.max-datagram-size = 1400 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_DatagramOfExactlyMaxSize_IsSent_AndOneByteMoreIsRefused()
    {
        var codec = new DatagramCodec(ProtocolSettings.Default with { MaxDatagramSize = 100 });
        Packet atLimit = Packet.Parse(JsonOfLength(100));
        Packet overLimit = Packet.Parse(JsonOfLength(101));

        Assert.Equal(atLimit.Json.ToArray(), codec.Encode(atLimit).ToArray());
        ProtocolException error = Assert.Throws<ProtocolException>(() => codec.Encode(overLimit));
        Assert.Equal(ProtocolError.DatagramTooLarge, error.Reason);
        Assert.Contains("packet X encodes to 101 bytes, more than lan.protocol.max-datagram-size = 100 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_FrameOfExactlyMaxFrameSize_IsAccepted_AndOneByteMoreIsFrameTooLarge()
    {
        var settings = ProtocolSettings.Default with { MaxFrameSize = 100 };
        byte[] atLimit = JsonOfLength(100);

        Packet packet = Assert.Single(StreamFeeding.DecodeAll(Frames.Of(atLimit), new FrameDecoder(settings)));
        ProtocolException error = Assert.Throws<ProtocolException>(() =>
            StreamFeeding.DecodeAll(Frames.Of(JsonOfLength(101)), new FrameDecoder(settings)));

        Assert.Equal(atLimit, packet.Json.ToArray());
        Assert.Equal(ProtocolError.FrameTooLarge, error.Reason);
        Assert.StartsWith("frame of 101 bytes exceeds lan.protocol.max-frame-size = 100 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_FrameOfExactlyMaxFrameSize_IsWritten_AndOneByteMoreIsRefusedBeforeWriting()
    {
        var encoder = new FrameEncoder(ProtocolSettings.Default with { MaxFrameSize = 100 });
        byte[] atLimit = JsonOfLength(100);
        var writer = new ArrayBufferWriter<byte>();

        encoder.Write(Packet.Parse(atLimit), writer);
        Assert.Equal(Frames.Of(atLimit), writer.WrittenSpan.ToArray());

        var refused = new ArrayBufferWriter<byte>();
        ProtocolException error = Assert.Throws<ProtocolException>(() => encoder.Write(Packet.Parse(JsonOfLength(101)), refused));
        Assert.Equal(ProtocolError.FrameTooLarge, error.Reason);
        Assert.StartsWith("frame of 101 bytes exceeds lan.protocol.max-frame-size = 100 bytes; move bulk data of X", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, refused.WrittenCount);
    }

    [Fact]
    public void Decode_ContentOfExactlyMaxContentSize_IsAccepted_AndOneByteMoreIsContentTooLarge()
    {
        var settings = ProtocolSettings.Default with { MaxContentSize = 100 };
        byte[] content = [.. Enumerable.Range(0, 100).Select(i => (byte)i)];

        Packet packet = Assert.Single(StreamFeeding.DecodeAll(Frames.Of("{\"TYPE\":\"X\",\"CL\":100}", content), new FrameDecoder(settings)));
        ProtocolException error = Assert.Throws<ProtocolException>(() =>
            StreamFeeding.DecodeAll(Frames.Of("{\"TYPE\":\"X\",\"CL\":101}", [.. content, 100]), new FrameDecoder(settings)));

        Assert.Equal(content, packet.Content.ToArray());
        Assert.Equal(ProtocolError.ContentTooLarge, error.Reason);
        Assert.Contains("content of 101 bytes exceeds lan.protocol.max-content-size = 100 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_ContentOfExactlyMaxContentSize_IsWritten_AndOneByteMoreIsRefusedBeforeWriting()
    {
        var encoder = new FrameEncoder(ProtocolSettings.Default with { MaxContentSize = 100 });
        Packet atLimit = Packet.Create("X").WithContent(new byte[100]).Build();
        Packet overLimit = Packet.Create("X").WithContent(new byte[101]).Build();
        var writer = new ArrayBufferWriter<byte>();

        encoder.Write(atLimit, writer);
        Assert.Equal(Frames.Of(atLimit.Json.ToArray(), new byte[100]), writer.WrittenSpan.ToArray());

        var refused = new ArrayBufferWriter<byte>();
        ProtocolException error = Assert.Throws<ProtocolException>(() => encoder.Write(overLimit, refused));
        Assert.Equal(ProtocolError.ContentTooLarge, error.Reason);
        Assert.StartsWith("content of 101 bytes exceeds lan.protocol.max-content-size = 100 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, refused.WrittenCount);
    }

    [Fact]
    public void MaxDepthOne_AcceptsAFlatPacket_AndRefusesAnyNesting()
    {
        var settings = ProtocolSettings.Default with { MaxDepth = 1 };

        Packet flat = Assert.Single(StreamFeeding.DecodeAll(Frames.Of("{\"TYPE\":\"X\",\"A\":1}"), new FrameDecoder(settings)));
        ProtocolException nested = Assert.Throws<ProtocolException>(() =>
            StreamFeeding.DecodeAll(Frames.Of("{\"TYPE\":\"X\",\"A\":[]}"), new FrameDecoder(settings)));

        Assert.Equal("X", flat.Type);
        Assert.Equal(ProtocolError.TooDeep, nested.Reason);
        Assert.Contains("lan.protocol.max-depth = 1", nested.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxDepthSixtyFour_AcceptsSixtyFourLevels_AndRefusesSixtyFive()
    {
        var settings = ProtocolSettings.Default with { MaxDepth = 64 };

        Packet deepest = Assert.Single(StreamFeeding.DecodeAll(Frames.Of(Frames.Nested(64)), new FrameDecoder(settings)));
        ProtocolException tooDeep = Assert.Throws<ProtocolException>(() =>
            StreamFeeding.DecodeAll(Frames.Of(Frames.Nested(65)), new FrameDecoder(settings)));

        Assert.Equal(64, settings.MaxDepth);
        Assert.Equal("DEEP", deepest.Type);
        Assert.Equal(ProtocolError.TooDeep, tooDeep.Reason);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void MaxDepthAtEitherEndOfItsRange_IsReadFromHocon(int depth)
    {
        ProtocolSettings settings = ProtocolSettings.FromConfig(HoconConfig.Parse($"lan.protocol.max-depth = {depth}"));

        Assert.Equal(depth, settings.MaxDepth);
    }

    [Fact]
    public void EncodersAtMaxDepth_WriteTheDeepestPacket_AndRefuseOneLevelMore()
    {
        var settings = ProtocolSettings.Default with { MaxDepth = 3 };
        Packet deepest = Packet.Parse(Frames.Nested(3));
        Packet tooDeep = Packet.Parse(Frames.Nested(4));

        Assert.Equal(deepest.Json.ToArray(), new DatagramCodec(settings).Encode(deepest).ToArray());
        var writer = new ArrayBufferWriter<byte>();
        new FrameEncoder(settings).Write(deepest, writer);
        Assert.Equal(Frames.Of(Frames.Nested(3)), writer.WrittenSpan.ToArray());

        ProtocolException frame = Assert.Throws<ProtocolException>(() => new FrameEncoder(settings).CheckLimits(tooDeep));
        ProtocolException datagram = Assert.Throws<ProtocolException>(() => new DatagramCodec(settings).Encode(tooDeep));
        Assert.Equal(ProtocolError.TooDeep, frame.Reason);
        Assert.Equal(ProtocolError.TooDeep, datagram.Reason);
        Assert.Contains("packet DEEP nests 4 levels, deeper than lan.protocol.max-depth = 3", frame.Message, StringComparison.Ordinal);
        Assert.Contains("packet DEEP nests 4 levels, deeper than lan.protocol.max-depth = 3", datagram.Message, StringComparison.Ordinal);
    }
}
