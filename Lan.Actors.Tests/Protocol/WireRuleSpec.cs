using System.Text;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

/// <summary>Rules of "The packet" and "Errors" in docs/PROTOCOL.md that no other spec would notice breaking.</summary>
public sealed class WireRuleSpec
{
    [Theory]
    [InlineData("{\"TYPE\":\"X\",\"\\uD800\":1}")]
    [InlineData("{\"TYPE\":\"X\",\"A\\uDC00B\":1}")]
    [InlineData("{\"TYPE\":\"X\",\"O\":{\"\\uD83D\":true}}")]
    public void UnpairedSurrogateEscapeInAFieldName_IsInvalidUtf8(string json)
    {
        ProtocolException frame = Assert.Throws<ProtocolException>(() => StreamFeeding.DecodeAll(Frames.Of(json)));
        ProtocolException datagram = Assert.Throws<ProtocolException>(() => new DatagramCodec().Decode(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(ProtocolError.InvalidUtf8, frame.Reason);
        Assert.Equal(ProtocolError.InvalidUtf8, datagram.Reason);
        Assert.Contains("unpaired surrogate", frame.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PairedSurrogateEscapeInAFieldName_IsAccepted()
    {
        Packet packet = Assert.Single(StreamFeeding.DecodeAll(Frames.Of("{\"TYPE\":\"X\",\"\\uD83D\\uDE42\":1}")));

        Assert.True(packet.Has("🙂"));
    }

    [Fact]
    public void AnEscapedStringLongerThanTheStackBuffer_IsCheckedToo()
    {
        // Long escaped strings are unescaped into a rented array instead of the stack; both paths must check.
        string padding = new('a', 300);
        string good = $"{{\"TYPE\":\"X\",\"T\":\"{padding}\\u00e9\"}}";
        string bad = $"{{\"TYPE\":\"X\",\"T\":\"{padding}\\uD800\"}}";

        Assert.Equal("X", Assert.Single(StreamFeeding.DecodeAll(Frames.Of(good))).Type);
        Assert.Equal(ProtocolError.InvalidUtf8, Assert.Throws<ProtocolException>(() => StreamFeeding.DecodeAll(Frames.Of(bad))).Reason);
    }

    [Fact]
    public void JsonWithAByteOrderMark_IsRefused()
    {
        byte[] json = [0xEF, 0xBB, 0xBF, .. "{\"TYPE\":\"PING\"}"u8];

        ProtocolException frame = Assert.Throws<ProtocolException>(() => StreamFeeding.DecodeAll(Frames.Of(json)));
        ProtocolException datagram = Assert.Throws<ProtocolException>(() => new DatagramCodec().Decode(json));

        Assert.Equal(ProtocolError.InvalidJson, frame.Reason);
        Assert.Equal(ProtocolError.InvalidJson, datagram.Reason);
    }

    [Fact]
    public void ContentLengthZeroInATcpFrame_MeansNoContent_AndTheNextFrameStartsRightAfter()
    {
        byte[] stream = [.. Frames.Of("{\"TYPE\":\"A\",\"CL\":0}"), .. ProtocolVectors.PingFrame.Bytes];

        List<Packet> packets = StreamFeeding.DecodeOneByteAtATime(stream);

        Assert.Equal(2, packets.Count);
        Assert.Equal("A", packets[0].Type);
        Assert.True(packets[0].Content.IsEmpty);
        Assert.Equal(PacketTypes.Ping, packets[1].Type);
    }

    [Fact]
    public void ContentLengthAnywhereInTheObject_IsHonoured()
    {
        byte[] stream = [.. Frames.Of("{\"A\":[1,{\"CL\":9}],\"TYPE\":\"A\",\"Z\":\"z\",\"CL\":2}", [7, 8]), .. ProtocolVectors.PingFrame.Bytes];

        List<Packet> packets = StreamFeeding.DecodeAll(stream);

        Assert.Equal([7, 8], packets[0].Content.ToArray());
        Assert.Equal(PacketTypes.Ping, packets[1].Type);
    }

    [Fact]
    public void TypeOrContentLengthNestedInAField_DoesNotCount()
    {
        Packet packet = Assert.Single(StreamFeeding.DecodeAll(Frames.Of("{\"TYPE\":\"OUTER\",\"X\":{\"TYPE\":\"INNER\",\"CL\":5}}")));

        Assert.Equal("OUTER", packet.Type);
        Assert.True(packet.Content.IsEmpty);
    }

    [Theory]
    [InlineData("{\"TYPE\":\"X\",\"CL\":-0}")]
    [InlineData("{\"TYPE\":\"X\",\"CL\":-1}")]
    [InlineData("{\"TYPE\":\"X\",\"CL\":1.0}")]
    [InlineData("{\"TYPE\":\"X\",\"CL\":true}")]
    [InlineData("{\"TYPE\":\"X\",\"CL\":null}")]
    [InlineData("{\"TYPE\":\"X\",\"CL\":-99999999999999999999}")]
    public void ContentLengthThatIsNotAWholeNumber_IsInvalidJson(string json)
    {
        ProtocolException error = Assert.Throws<ProtocolException>(() => new DatagramCodec().Decode(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(ProtocolError.InvalidJson, error.Reason);
        Assert.Contains("CL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContentLengthTwice_IsInvalidJson_EvenWhenTheFirstIsZero()
    {
        ProtocolException error = Assert.Throws<ProtocolException>(() => StreamFeeding.DecodeAll(Frames.Of("{\"TYPE\":\"X\",\"CL\":0,\"CL\":0}")));

        Assert.Equal(ProtocolError.InvalidJson, error.Reason);
        Assert.Contains("CL twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TypeTwice_NamesTheFirst()
    {
        ProtocolException error = Assert.Throws<ProtocolException>(() => StreamFeeding.DecodeAll(Frames.Of("{\"TYPE\":\"A\",\"TYPE\":\"A\"}")));

        Assert.Equal(ProtocolError.InvalidType, error.Reason);
        Assert.Contains("packet has TYPE twice (first A)", error.Message, StringComparison.Ordinal);
    }
}
