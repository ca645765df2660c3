using System.Buffers;
using System.Text;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

/// <summary>
/// docs/PROTOCOL.md promises "a message that says what to do": each error's advice is pinned here, so a message that
/// loses its second half (or its numbers) fails a spec.
/// </summary>
public sealed class ErrorMessageSpec
{
    private static ProtocolException FrameFails(string json, ProtocolSettings? settings = null) =>
        Assert.Throws<ProtocolException>(() => StreamFeeding.DecodeAll(Frames.Of(json), new FrameDecoder(settings)));

    private static ProtocolException DatagramFails(string json) =>
        Assert.Throws<ProtocolException>(() => new DatagramCodec().Decode(Encoding.UTF8.GetBytes(json)));

    private static Packet Deep(int depth) => Packet.Parse(Frames.Nested(depth), settings: ProtocolSettings.Default with { MaxDepth = 64 });

    [Fact]
    public void EmptyInput_SaysWhetherItWasADatagramOrAFrame()
    {
        Assert.Equal("empty datagram; a datagram must hold one JSON object with a TYPE",
            Assert.Throws<ProtocolException>(() => new DatagramCodec().Decode([])).Message);
        Assert.Equal("empty frame (length prefix 0); a frame must hold one JSON object with a TYPE",
            Assert.Throws<ProtocolException>(() => StreamFeeding.DecodeAll(Frames.Prefix(0))).Message);
        Assert.Equal("empty frame (length prefix 0); a frame must hold one JSON object with a TYPE",
            Assert.Throws<ProtocolException>(() => Packet.Parse([])).Message);
    }

    [Fact]
    public void LimitErrors_GiveTheAdvice()
    {
        Assert.EndsWith("; keep discovery packets small or raise the limit on every node",
            Assert.Throws<ProtocolException>(() => new DatagramCodec().Decode(new byte[1401])).Message, StringComparison.Ordinal);
        Assert.EndsWith("; keep discovery packets small or send it over TCP",
            Assert.Throws<ProtocolException>(() => new DatagramCodec(ProtocolSettings.Default with { MaxDatagramSize = 64 })
                .Encode(Packet.Create("X").Set("T", new string('t', 64)).Build())).Message, StringComparison.Ordinal);
        Assert.Equal("frame of 2 MiB exceeds lan.protocol.max-frame-size = 1 MiB; the peer must move bulk data into content (CL), or both peers must raise the limit",
            Assert.Throws<ProtocolException>(() => StreamFeeding.DecodeAll(Frames.Prefix(2 * 1024 * 1024))).Message);
        Assert.Equal("content of 2 KiB exceeds lan.protocol.max-content-size = 1 KiB; split the data into several packets or raise the limit on both peers",
            Assert.Throws<ProtocolException>(() => new FrameEncoder(ProtocolSettings.Default with { MaxContentSize = 1024 })
                .CheckLimits(Packet.Create("X").WithContent(new byte[2048]).Build())).Message);
        Assert.Equal("frame of 1 KiB exceeds lan.protocol.max-frame-size = 64 bytes; move bulk data of X into its content or raise the limit on both peers",
            Assert.Throws<ProtocolException>(() => new FrameEncoder(ProtocolSettings.Default with { MaxFrameSize = 64 })
                .CheckLimits(Packet.Parse("{\"TYPE\":\"X\",\"P\":\"" + new string('p', 1024 - 19) + "\"}"))).Message);
    }

    [Fact]
    public void TooDeepAtTheSender_SaysAPeerWouldRefuseIt()
    {
        const string Expected = "packet DEEP nests 33 levels, deeper than lan.protocol.max-depth = 32; a peer would refuse it: flatten the packet or raise the limit on both peers";

        Assert.Equal(Expected, Assert.Throws<ProtocolException>(() => new FrameEncoder().CheckLimits(Deep(33))).Message);
        Assert.Equal(Expected, Assert.Throws<ProtocolException>(() => new DatagramCodec().Encode(Deep(33))).Message);
    }

    [Theory]
    [InlineData(0x40000000u, "frame of 1 GiB exceeds")]
    [InlineData(0x80000000u, "frame of 2 GiB exceeds")]
    [InlineData(0x40000001u, "frame of 1073741825 bytes exceeds")]
    [InlineData(0x00100400u, "frame of 1025 KiB exceeds")]
    [InlineData(0xFFFFFFFFu, "frame of 4294967295 bytes exceeds")]
    public void Sizes_AreWrittenInTheLargestWholeUnit(uint prefix, string start)
    {
        ProtocolException error = Assert.Throws<ProtocolException>(() => StreamFeeding.DecodeAll(Frames.Prefix(prefix)));

        Assert.StartsWith(start, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStreamEndingMidFrame_SaysWhere()
    {
        byte[] frame = Frames.Of("{\"TYPE\":\"FILE\",\"CL\":5}", "hello"u8.ToArray());

        Assert.Contains("the stream ended mid-frame, 3 bytes into a 4-byte length prefix; the peer closed or crashed while sending",
            Assert.Throws<ProtocolException>(() => StreamFeeding.DecodeAll(frame.AsSpan(0, 3))).Message, StringComparison.Ordinal);
        Assert.Contains("after 6 of 22 bytes of JSON",
            Assert.Throws<ProtocolException>(() => StreamFeeding.DecodeAll(frame.AsSpan(0, 10))).Message, StringComparison.Ordinal);
        Assert.Contains("after 2 of 5 content bytes of FILE",
            Assert.Throws<ProtocolException>(() => StreamFeeding.DecodeAll(frame.AsSpan(0, 28))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompleteAfterAnError_ReportsThatError()
    {
        var decoder = new FrameDecoder();
        var bad = new ReadOnlySequence<byte>(Frames.Prefix(0));
        ProtocolException first = Assert.Throws<ProtocolException>(() => decoder.TryDecode(ref bad, out _));

        ProtocolException again = Assert.Throws<ProtocolException>(() => decoder.Complete(ReadOnlySequence<byte>.Empty));

        Assert.Same(first, again);
    }

    [Theory]
    [InlineData("{\"TYPE\":{}}", "TYPE is a object; it must be a string matching [A-Z0-9_]{1,64}")]
    [InlineData("{\"TYPE\":true}", "TYPE is a boolean; it must be a string matching [A-Z0-9_]{1,64}")]
    [InlineData("{\"TYPE\":null}", "TYPE is a null; it must be a string matching [A-Z0-9_]{1,64}")]
    [InlineData("{\"TYPE\":\"lower\"}", "TYPE \"lower\" must be 1 to 64 unescaped characters from A-Z, 0-9 and _")]
    [InlineData("{\"TYPE\":\"X\",\"CL\":\"5\"}", "CL is a string; it must be a whole number ≥ 0, the count of content bytes after the frame")]
    [InlineData("{\"TYPE\":\"X\",\"CL\":1.5}", "CL = 1.5 must be a whole number ≥ 0, the count of content bytes after the frame")]
    [InlineData("{\"TYPE\":\"X\",\"CL\":1,\"CL\":1}", "packet has CL twice; send at most one CL")]
    [InlineData("{\"TYPE\":\"X\",\"A\":\"\\uDC00\"}", "a string escape in the packet encodes invalid UTF-16 (an unpaired surrogate); peers must send valid Unicode")]
    [InlineData("[]", "packet JSON is a array, not an object; send one object like {\"TYPE\":\"PING\"}")]
    [InlineData("{\"A\":1}", "packet has no TYPE; add a \"TYPE\" string such as \"MESSAGE\"")]
    public void HeaderErrors_SayWhatTheRuleIs(string json, string message)
    {
        Assert.Equal(message, FrameFails(json).Message);
    }

    [Fact]
    public void ADatagramWithContent_SaysToUseTcp()
    {
        Assert.Equal("a datagram carries no content but says CL = 3; send content over TCP", DatagramFails("{\"TYPE\":\"X\",\"CL\":3}").Message);
    }

    [Theory]
    [InlineData(40, false)]
    [InlineData(41, true)]
    public void ALongInvalidType_IsShownCutAtFortyCharacters(int length, bool cut)
    {
        string type = new('a', length);

        string message = FrameFails($"{{\"TYPE\":\"{type}\"}}").Message;

        string shown = cut ? new string('a', 40) + "…" : type;
        Assert.StartsWith($"TYPE \"{shown}\" must be", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidByte_IsLocated()
    {
        byte[] json = [.. "{\"TYPE\":\"X\",\"T\":\"é"u8, 0xFF, .. "\"}"u8];

        ProtocolException error = Assert.Throws<ProtocolException>(() => new DatagramCodec().Decode(json));

        Assert.Equal("packet JSON is not valid UTF-8 at byte 19; peers must send UTF-8 text", error.Message);
    }

    [Fact]
    public void PacketErrors_SayHowToFixThem()
    {
        Assert.Equal("the JSON says CL = 3 but 2 content bytes were given; make them agree (Parameter 'content')",
            Assert.Throws<ArgumentException>(() => Packet.Parse("{\"TYPE\":\"X\",\"CL\":3}", new byte[2])).Message);
        Assert.StartsWith("packet CHAT_LINE does not fit ChatLine: ",
            Assert.Throws<ProtocolException>(() => Packet.Parse("{\"TYPE\":\"CHAT_LINE\",\"FROM\":1}").As<ChatLine>()).Message, StringComparison.Ordinal);
        Assert.Equal("field N of packet X is Number, not a string; read it with TryGet<T> of the right type",
            Assert.Throws<InvalidOperationException>(() => Packet.Parse("{\"TYPE\":\"X\",\"N\":1}").GetString("N")).Message);
        Assert.StartsWith("TryGet<Score> reads only string, bool, int, long, double, decimal, Guid, DateTimeOffset and JsonElement; for Score pass",
            Assert.Throws<NotSupportedException>(() => Packet.Parse("{\"TYPE\":\"X\"}").TryGet<Score>("S", out _)).Message, StringComparison.Ordinal);
        Assert.StartsWith("field R cannot be NaN: JSON numbers must be finite",
            Assert.Throws<ArgumentOutOfRangeException>(() => Packet.Create("X").Set("R", double.NaN)).Message, StringComparison.Ordinal);
        Assert.StartsWith("CL is written by the builder: give TYPE to Packet.Create and content to WithContent",
            Assert.Throws<ArgumentException>(() => Packet.Create("X").Set("CL", 1L)).Message, StringComparison.Ordinal);
        Assert.StartsWith("TYPE SCORE is already registered for Score; give ChatLine a TYPE of its own",
            Assert.Throws<ArgumentException>(() => new PacketRegistry().Register("SCORE", ChatJson.Default.Score).Register("SCORE", ChatJson.Default.ChatLine)).Message,
            StringComparison.Ordinal);
    }
}
