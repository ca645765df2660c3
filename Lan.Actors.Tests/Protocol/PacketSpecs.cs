using System.Text;
using System.Text.Json;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

public sealed class PacketSpecs
{
    [Fact]
    public void TypedRecord_RoundTripsThroughItsType()
    {
        Packet packet = Packet.From(new ChatLine("ann", "hi"));

        Assert.Equal("CHAT_LINE", packet.Type);
        Assert.Equal("""{"TYPE":"CHAT_LINE","FROM":"ann","TEXT":"hi"}""", Encoding.UTF8.GetString(packet.Json.Span));
        Assert.True(packet.Is<ChatLine>());
        Assert.Equal(new ChatLine("ann", "hi"), packet.As<ChatLine>());
    }

    [Fact]
    public void TypedRecordWithContent_WritesContentLengthAfterType()
    {
        Packet packet = Packet.From(new ChatLine("ann", "photo"), new byte[] { 1, 2, 3 });

        Assert.Equal("""{"TYPE":"CHAT_LINE","CL":3,"FROM":"ann","TEXT":"photo"}""", Encoding.UTF8.GetString(packet.Json.Span));
        Assert.Equal(packet, Assert.Single(StreamFeeding.DecodeAll(StreamFeeding.Encode([packet]))));
    }

    [Fact]
    public void RecordThatCannotImplementTheInterface_IsMappedWithExplicitMetadata()
    {
        Packet packet = Packet.From("SCORE", new Score("bob", 12), ChatJson.Default.Score);

        Assert.Equal("SCORE", packet.Type);
        Assert.Equal(new Score("bob", 12), packet.As(ChatJson.Default.Score));
    }

    [Fact]
    public void AsAnotherType_SaysWhatTheTypeIs()
    {
        Packet packet = Packet.From(new Ping());

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => packet.As<ChatLine>());

        Assert.Contains("packet is PING, not CHAT_LINE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FieldsThatDoNotFitTheRecord_AreAProtocolError()
    {
        Packet packet = Packet.Parse("""{"TYPE":"CHAT_LINE","FROM":1,"TEXT":"x"}""");

        ProtocolException error = Assert.Throws<ProtocolException>(() => packet.As<ChatLine>());

        Assert.Equal(ProtocolError.InvalidJson, error.Reason);
    }

    [Fact]
    public void TryAs_ReadsAPacketOfItsType_AndRefusesAnotherTypeOrFieldsThatDoNotFit_WithoutThrowing()
    {
        Assert.True(Packet.From(new ChatLine("ann", "hi")).TryAs<ChatLine>(out var line));
        Assert.Equal(new ChatLine("ann", "hi"), line);

        Assert.False(Packet.From(new Ping()).TryAs<ChatLine>(out var other));
        Assert.Null(other);
        Assert.False(Packet.Parse("""{"TYPE":"CHAT_LINE","FROM":1,"TEXT":"x"}""").TryAs<ChatLine>(out var misfit));
        Assert.Null(misfit);
    }

    [Fact]
    public void RecordWithItsOwnTypeField_CannotBeSent()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Packet.From("TWICE", new Dictionary<string, string> { ["TYPE"] = "X" }, DictionaryJson.Default.DictionaryStringString));

        Assert.Contains("TYPE twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordWithAFieldNamedType_CannotBeSent()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Packet.From("SNEAKY", new Sneaky("X"), ChatJson.Default.Sneaky));

        Assert.Contains("TYPE twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Builder_WritesTypeThenFieldsInOrder_AndLastSetWins()
    {
        Packet packet = Packet.Create("SCORE")
            .Set("PLAYER", "bob")
            .Set("POINTS", 10)
            .Set("RATIO", 0.5)
            .Set("WON", true)
            .Set("NOTE", (string?)null)
            .Set("POINTS", 12)
            .Build();

        Assert.Equal("""{"TYPE":"SCORE","PLAYER":"bob","POINTS":12,"RATIO":0.5,"WON":true,"NOTE":null}""", Encoding.UTF8.GetString(packet.Json.Span));
    }

    [Theory]
    [InlineData("TYPE")]
    [InlineData("CL")]
    public void Builder_RefusesTheFieldsItWritesItself(string name)
    {
        Assert.Throws<ArgumentException>(() => Packet.Create("X").Set(name, "v"));
    }

    [Theory]
    [InlineData("lower")]
    [InlineData("")]
    [InlineData("WITH SPACE")]
    public void InvalidType_IsRefusedWhenThePacketIsMade(string type)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Packet.Create(type));

        Assert.Contains("A-Z, 0-9 and _", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonFiniteNumber_IsRefusedBecauseJsonCannotCarryIt()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Packet.Create("X").Set("N", double.NaN));
    }

    [Fact]
    public void GetString_ReadsTheTextOfAMessage()
    {
        Packet packet = Packet.From(new TextMessage("grüß dich \"du\" 🙂"));

        Assert.Equal("grüß dich \"du\" 🙂", packet.GetString(PacketFields.Text));
    }

    [Fact]
    public void GetStringOfAMissingField_SaysHowToCheck()
    {
        KeyNotFoundException error = Assert.Throws<KeyNotFoundException>(() => Packet.From(new Ping()).GetString("TEXT"));

        Assert.Contains("packet PING has no field TEXT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetStringOfANumber_SaysToUseTryGet()
    {
        Packet packet = Packet.Create("X").Set("N", 1).Build();

        Assert.Throws<InvalidOperationException>(() => packet.GetString("N"));
    }

    [Fact]
    public void TryGet_ReadsEachSupportedKind()
    {
        var id = Guid.NewGuid();
        var when = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Packet packet = Packet.Parse($$"""
            {"TYPE":"ALL","S":"s","B":true,"I":-7,"L":9000000000,"D":1.25,"M":0.1,"G":"{{id}}","T":"{{when:O}}","E":{"X":[1,2]},"NUL":null}
            """);

        Assert.True(packet.TryGet("S", out string? s) && s == "s");
        Assert.True(packet.TryGet("B", out bool b) && b);
        Assert.True(packet.TryGet("I", out int i) && i == -7);
        Assert.True(packet.TryGet("L", out long l) && l == 9_000_000_000);
        Assert.True(packet.TryGet("D", out double d) && d == 1.25);
        Assert.True(packet.TryGet("M", out decimal m) && m == 0.1m);
        Assert.True(packet.TryGet("G", out Guid g) && g == id);
        Assert.True(packet.TryGet("T", out DateTimeOffset t) && t == when);
        Assert.True(packet.TryGet("E", out JsonElement e) && e.GetProperty("X").GetArrayLength() == 2);
        Assert.True(packet.TryGet("TYPE", out string? type) && type == "ALL");
    }

    [Fact]
    public void TryGet_IsFalseForAbsentNullOrMismatchedFields()
    {
        Packet packet = Packet.Parse("""{"TYPE":"X","S":"s","L":9000000000,"NUL":null}""");

        Assert.False(packet.TryGet("NOPE", out string? _));
        Assert.False(packet.TryGet("NUL", out string? _));
        Assert.False(packet.TryGet("S", out int _));
        Assert.False(packet.TryGet("L", out int _));
        Assert.False(packet.TryGet("L", out bool _));
    }

    [Fact]
    public void TryGet_ReadsNestedValuesWithSourceGeneratedMetadata()
    {
        Packet packet = Packet.Create("MOVE").Set("POS", new Position(1.5, -2), ChatJson.Default.Position).Build();

        Assert.True(packet.TryGet("POS", ChatJson.Default.Position, out Position? position));
        Assert.Equal(new Position(1.5, -2), position);
        Assert.False(packet.TryGet("POS", ChatJson.Default.Int32Array, out _));
    }

    [Fact]
    public void TryGetOfAnUnsupportedType_SaysToPassMetadata()
    {
        NotSupportedException error = Assert.Throws<NotSupportedException>(() => Packet.From(new Ping()).TryGet("X", out Position? _));

        Assert.Contains("pass source-generated metadata", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FieldsOnlyMatchAtTheTopLevel()
    {
        Packet packet = Packet.Parse("""{"TYPE":"X","OUTER":{"TEXT":"inner"},"LIST":[{"TEXT":"no"}]}""");

        Assert.False(packet.Has("TEXT"));
        Assert.True(packet.Has("OUTER"));
    }

    [Fact]
    public void Parse_RequiresContentMatchingContentLength()
    {
        Assert.Throws<ArgumentException>(() => Packet.Parse("""{"TYPE":"X","CL":3}""", new byte[2]));
        Assert.Equal(3, Packet.Parse("""{"TYPE":"X","CL":3}""", new byte[3]).Content.Length);
    }

    [Fact]
    public void Packet_IsEncodedOnce_AndKeepsItsBytes()
    {
        Packet packet = Packet.From(new TextMessage("broadcast"));

        ReadOnlyMemory<byte> first = packet.Json;
        ReadOnlyMemory<byte> second = packet.Json;
        byte[] frameOne = StreamFeeding.Encode([packet]);
        byte[] frameTwo = StreamFeeding.Encode([packet]);

        Assert.Equal("""{"TYPE":"MESSAGE","TEXT":"broadcast"}""", Encoding.UTF8.GetString(first.Span));
        Assert.True(first.Span == second.Span, "the same buffer is handed out every time, not a fresh copy");
        Assert.Equal(Frames.Of("""{"TYPE":"MESSAGE","TEXT":"broadcast"}"""), frameOne);
        Assert.Equal(frameOne, frameTwo);
    }

    [Fact]
    public void DecodedPacket_KeepsTheBytesItArrivedAs_ForForwarding()
    {
        byte[] frame = Frames.Of("""{ "TYPE" : "RELAY", "Z":1 }""");

        Packet packet = Assert.Single(StreamFeeding.DecodeAll(frame));

        Assert.Equal(frame, StreamFeeding.Encode([packet]));
    }

    [Fact]
    public void ToString_ShowsTypeJsonAndContentLength()
    {
        Packet packet = Packet.Create("BLOB").WithContent(new byte[10]).Build();

        Assert.Equal("""BLOB {"TYPE":"BLOB","CL":10} +10 bytes""", packet.ToString());
    }

    [Fact]
    public void Registry_DecodesRegisteredTypes_AndPassesOthersThrough()
    {
        PacketRegistry registry = PacketRegistry.WithReservedTypes()
            .Register<ChatLine>()
            .Register("SCORE", ChatJson.Default.Score);

        Assert.Equal(new ChatLine("a", "b"), registry.Decode(Packet.From(new ChatLine("a", "b"))));
        Assert.Equal(new Score("c", 1), registry.Decode(Packet.From("SCORE", new Score("c", 1), ChatJson.Default.Score)));
        Assert.Equal(new Ping(), registry.Decode(Packet.From(new Ping())));
        Packet unknown = Packet.Create("UNKNOWN").Build();
        Assert.Same(unknown, registry.Decode(unknown));
    }

    [Fact]
    public void Registry_RefusesOneTypeForTwoRecords()
    {
        var registry = new PacketRegistry().Register<ChatLine>();

        Assert.Throws<ArgumentException>(() => registry.Register("CHAT_LINE", ChatJson.Default.Score));
    }

    [Fact]
    public void ReservedTypes_AreRecognised()
    {
        Assert.All(PacketTypes.Reserved, type => Assert.True(PacketTypes.IsReserved(type)));
        Assert.False(PacketTypes.IsReserved("CHAT_LINE"));
        Assert.True(PacketTypes.IsValid("CHAT_LINE"));
        Assert.False(PacketTypes.IsValid("chat"));
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class DictionaryJson : System.Text.Json.Serialization.JsonSerializerContext;
