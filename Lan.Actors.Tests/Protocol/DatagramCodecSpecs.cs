using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

public sealed class DatagramCodecSpecs
{
    [Fact]
    public void Encode_HandsOutThePacketsOwnBytes()
    {
        Packet packet = Packet.From(new ServerBye("s1"));

        ReadOnlyMemory<byte> datagram = new DatagramCodec().Encode(packet);

        Assert.True(datagram.Span == packet.Json.Span);
    }

    [Fact]
    public void DecodedDatagram_CanBeForwardedAsAFrame()
    {
        Packet packet = new DatagramCodec().Decode(ProtocolVectors.ClientHelloDatagram.Bytes);

        Assert.Equal(Frames.Of(ProtocolVectors.ClientHelloDatagram.Bytes), StreamFeeding.Encode([packet]));
    }

    [Fact]
    public void PacketWithContent_CannotBeADatagram()
    {
        Packet packet = Packet.Create("BLOB").WithContent(new byte[1]).Build();

        ProtocolException error = Assert.Throws<ProtocolException>(() => new DatagramCodec().Encode(packet));

        Assert.Equal(ProtocolError.ContentTooLarge, error.Reason);
        Assert.Contains("send it over TCP", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DatagramAnnouncingContent_IsRefused()
    {
        ProtocolException error = Assert.Throws<ProtocolException>(() => new DatagramCodec().Decode("""{"TYPE":"X","CL":1}"""u8));

        Assert.Equal(ProtocolError.ContentTooLarge, error.Reason);
    }

    [Fact]
    public void DatagramWithZeroContentLength_IsAccepted()
    {
        Assert.Equal("X", new DatagramCodec().Decode("""{"TYPE":"X","CL":0}"""u8).Type);
    }

    [Fact]
    public void PacketLargerThanADatagram_IsRefusedBeforeSending()
    {
        Packet packet = Packet.From(new ServerHello("s1", "lobby", "chat", 5000, Meta: new Dictionary<string, string> { ["MOTD"] = new('m', 1400) }));

        ProtocolException error = Assert.Throws<ProtocolException>(() => new DatagramCodec().Encode(packet));

        Assert.Equal(ProtocolError.DatagramTooLarge, error.Reason);
    }

    [Fact]
    public void ServerHelloMetadata_RoundTrips()
    {
        var meta = new Dictionary<string, string> { ["PLAYERS"] = "3", ["map"] = "dust" };
        var codec = new DatagramCodec();

        ServerHello hello = codec.Decode(codec.Encode(Packet.From(new ServerHello("s1", "lobby", "chat", 5000, Meta: meta))).Span).As<ServerHello>();

        Assert.Equal(meta, hello.Meta);
        Assert.Equal(PacketTypes.ProtocolVersion, hello.Version);
    }
}
