using System.Buffers;
using System.Text;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

/// <summary>One specification per <see cref="ProtocolError"/>: the input that causes it and the message a user sees.</summary>
public sealed class ProtocolErrorSpecs
{
    [Fact]
    public void HeaderAboveLimit_FailsBeforeReadingTheBody()
    {
        var decoder = new FrameDecoder();
        var buffer = new ReadOnlySequence<byte>(Frames.Prefix(9 * 1024 * 1024));

        long before = GC.GetAllocatedBytesForCurrentThread();
        ProtocolException error = Assert.Throws<ProtocolException>(() => decoder.TryDecode(ref buffer, out _));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ProtocolError.FrameTooLarge, error.Reason);
        Assert.StartsWith("frame of 9 MiB exceeds lan.protocol.max-frame-size = 1 MiB", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes for a refused header");
    }

    [Fact]
    public void ContentLengthAboveLimit_FailsBeforeTheContentArrives()
    {
        var settings = ProtocolSettings.Default with { MaxContentSize = 1024 };

        ProtocolException error = DecodeFails(Frames.Of("{\"TYPE\":\"FILE\",\"CL\":1025}"), settings);

        Assert.Equal(ProtocolError.ContentTooLarge, error.Reason);
        Assert.Contains("content of 1025 bytes exceeds lan.protocol.max-content-size = 1 KiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroLengthPrefix_IsAnEmptyFrame()
    {
        ProtocolException error = DecodeFails(Frames.Prefix(0));

        Assert.Equal(ProtocolError.EmptyFrame, error.Reason);
    }

    [Fact]
    public void EmptyDatagram_IsAnEmptyFrame()
    {
        ProtocolException error = Assert.Throws<ProtocolException>(() => new DatagramCodec().Decode([]));

        Assert.Equal(ProtocolError.EmptyFrame, error.Reason);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xF8, 0x88, 0x80, 0x80, 0x80 })]
    public void InvalidUtf8InsideAString_IsInvalidUtf8(byte[] bad)
    {
        byte[] json = [.. "{\"TYPE\":\"MESSAGE\",\"TEXT\":\""u8, .. bad, .. "\"}"u8];

        ProtocolException error = DecodeFails(Frames.Of(json));

        Assert.Equal(ProtocolError.InvalidUtf8, error.Reason);
        Assert.Contains("at byte 26", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EscapedUnpairedSurrogate_IsInvalidUtf8()
    {
        ProtocolException error = DecodeFails(Frames.Of("{\"TYPE\":\"MESSAGE\",\"TEXT\":\"\\ud800\"}"));

        Assert.Equal(ProtocolError.InvalidUtf8, error.Reason);
    }

    [Theory]
    [InlineData("{\"TYPE\":\"A\",}")]
    [InlineData("{\"TYPE\":\"A\"} x")]
    [InlineData("{\"TYPE\":\"A\"}{\"TYPE\":\"B\"}")]
    [InlineData("{\"TYPE\":\"A\"")]
    [InlineData("{TYPE:\"A\"}")]
    [InlineData("{\"TYPE\":\"A\",\"CL\":-1}")]
    [InlineData("{\"TYPE\":\"A\",\"CL\":1.5}")]
    [InlineData("{\"TYPE\":\"A\",\"CL\":1e3}")]
    [InlineData("{\"TYPE\":\"A\",\"CL\":\"5\"}")]
    [InlineData("{\"TYPE\":\"A\",\"CL\":1,\"CL\":1}")]
    [InlineData("   ")]
    [InlineData("{\"TYPE\":\"A\"} // comment")]
    public void MalformedJsonOrContentLength_IsInvalidJson(string json)
    {
        ProtocolException error = DecodeFails(Frames.Of(json));

        Assert.Equal(ProtocolError.InvalidJson, error.Reason);
    }

    [Theory]
    [InlineData("[{\"TYPE\":\"A\"}]", "array")]
    [InlineData("\"PING\"", "string")]
    [InlineData("42", "number")]
    [InlineData("null", "null")]
    public void JsonThatIsNotAnObject_IsNotAnObject(string json, string kind)
    {
        ProtocolException error = DecodeFails(Frames.Of(json));

        Assert.Equal(ProtocolError.NotAnObject, error.Reason);
        Assert.Contains($"is a {kind}, not an object", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"TEXT\":\"hi\"}")]
    [InlineData("{\"X\":{\"TYPE\":\"NESTED_DOES_NOT_COUNT\"}}")]
    [InlineData("{\"type\":\"MESSAGE\"}")]
    public void ObjectWithoutType_IsMissingType(string json)
    {
        ProtocolException error = DecodeFails(Frames.Of(json));

        Assert.Equal(ProtocolError.MissingType, error.Reason);
    }

    [Theory]
    [InlineData("{\"TYPE\":\"message\"}")]
    [InlineData("{\"TYPE\":\"\"}")]
    [InlineData("{\"TYPE\":\"CHAT-LINE\"}")]
    [InlineData("{\"TYPE\":\"ÜBER\"}")]
    [InlineData("{\"TYPE\":7}")]
    [InlineData("{\"TYPE\":null}")]
    [InlineData("{\"TYPE\":[\"A\"]}")]
    [InlineData("{\"TYPE\":\"\\u0041\"}")]
    [InlineData("{\"TYPE\":\"A\",\"TYPE\":\"B\"}")]
    [InlineData("{\"TYPE\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}")]
    public void TypeOutsideTheGrammar_IsInvalidType(string json)
    {
        ProtocolException error = DecodeFails(Frames.Of(json));

        Assert.Equal(ProtocolError.InvalidType, error.Reason);
    }

    [Fact]
    public void TypeOfSixtyFourCharacters_IsAccepted()
    {
        string type = new('Z', 64);

        Packet packet = Assert.Single(StreamFeeding.DecodeAll(Frames.Of($"{{\"TYPE\":\"{type}\"}}")));

        Assert.Equal(type, packet.Type);
    }

    [Fact]
    public void NestingBeyondMaxDepth_IsTooDeep()
    {
        ProtocolException error = DecodeFails(Frames.Of(Frames.Nested(33)));

        Assert.Equal(ProtocolError.TooDeep, error.Reason);
        Assert.Contains("lan.protocol.max-depth = 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NestingAtMaxDepth_IsAccepted()
    {
        Packet packet = Assert.Single(StreamFeeding.DecodeAll(Frames.Of(Frames.Nested(32))));

        Assert.Equal("DEEP", packet.Type);
    }

    [Fact]
    public void NestingOfTenThousand_IsTooDeepWithoutOverflowingTheStack()
    {
        ProtocolException error = DecodeFails(Frames.Of(Frames.Nested(10_000)));

        Assert.Equal(ProtocolError.TooDeep, error.Reason);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(28)]
    public void StreamEndingMidFrame_IsTruncatedFrame(int keptBytes)
    {
        byte[] frame = Frames.Of("{\"TYPE\":\"FILE\",\"CL\":5}", "hello"u8.ToArray());

        ProtocolException error = Assert.Throws<ProtocolException>(() => StreamFeeding.DecodeAll(frame.AsSpan(0, keptBytes)));

        Assert.Equal(ProtocolError.TruncatedFrame, error.Reason);
        Assert.Contains("the stream ended mid-frame", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StreamEndingBetweenFrames_IsClean()
    {
        Packet packet = Assert.Single(StreamFeeding.DecodeAll(ProtocolVectors.PingFrame.Bytes));

        Assert.Equal(PacketTypes.Ping, packet.Type);
    }

    [Fact]
    public void DatagramAboveLimit_IsDatagramTooLarge()
    {
        string text = new('x', 1400);
        byte[] datagram = Encoding.UTF8.GetBytes($"{{\"TYPE\":\"MESSAGE\",\"TEXT\":\"{text}\"}}");

        ProtocolException error = Assert.Throws<ProtocolException>(() => new DatagramCodec().Decode(datagram));

        Assert.Equal(ProtocolError.DatagramTooLarge, error.Reason);
        Assert.Contains("exceeds lan.protocol.max-datagram-size = 1400 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecoderAfterAnError_KeepsRefusingTheStream()
    {
        var decoder = new FrameDecoder();
        var bad = new ReadOnlySequence<byte>(Frames.Prefix(0));
        Assert.Throws<ProtocolException>(() => decoder.TryDecode(ref bad, out _));

        var good = new ReadOnlySequence<byte>(ProtocolVectors.PingFrame.Bytes);
        ProtocolException again = Assert.Throws<ProtocolException>(() => decoder.TryDecode(ref good, out _));

        Assert.Equal(ProtocolError.EmptyFrame, again.Reason);
    }

    private static ProtocolException DecodeFails(byte[] stream, ProtocolSettings? settings = null) =>
        Assert.Throws<ProtocolException>(() => StreamFeeding.DecodeAll(stream, new FrameDecoder(settings)));
}
