using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

/// <summary>A record whose declared TYPE breaks the grammar: making a packet of it must say so.</summary>
public sealed record Misnamed(string Text) : ITypedPacket<Misnamed>
{
    public static string PacketType => "not-a-type";

    public static JsonTypeInfo<Misnamed> JsonTypeInfo => BehaviourJson.Default.Misnamed;
}

/// <summary>A record with no scalar field at all: it nests, however few fields it has.</summary>
public sealed record Segment(Position From, Position To);

/// <summary>A base record with only scalars whose derived type adds a nested field the base metadata does not show.</summary>
[JsonDerivedType(typeof(Placed), "placed")]
public record Marker(string Name);

public sealed record Placed(string Name, Position At) : Marker(Name);

[JsonSerializable(typeof(Misnamed))]
[JsonSerializable(typeof(Segment))]
[JsonSerializable(typeof(Marker))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class BehaviourJson : JsonSerializerContext;

/// <summary>What a <see cref="Packet"/> promises beyond its bytes: equality, logging, typed construction and field reads.</summary>
public sealed class PacketBehaviourSpec
{
    [Fact]
    public void Equality_NeedsTheSameTypeJsonAndContent()
    {
        Packet packet = Packet.Parse("{\"TYPE\":\"X\",\"CL\":1,\"A\":1}", new byte[] { 1 });

        Assert.True(packet.Equals(Packet.Parse("{\"TYPE\":\"X\",\"CL\":1,\"A\":1}", new byte[] { 1 })));
        Assert.False(packet.Equals(Packet.Parse("{\"TYPE\":\"X\",\"CL\":1,\"A\":2}", new byte[] { 1 })));
        Assert.False(packet.Equals(Packet.Parse("{\"TYPE\":\"X\",\"CL\":1,\"A\":1}", new byte[] { 2 })));
        Assert.False(Packet.Parse("{\"TYPE\":\"X\"}").Equals(Packet.Parse("{\"TYPE\":\"Y\"}")));
        Assert.False(packet.Equals(null));
        Assert.False(packet.Equals((object?)null));
        Assert.True(packet.Equals((object)packet));
    }

    [Fact]
    public void ToString_ShowsAtMostTwoHundredCharactersOfJson()
    {
        string exactly = "{\"TYPE\":\"X\",\"P\":\"" + new string('p', 200 - 19) + "\"}";
        string longer = "{\"TYPE\":\"X\",\"P\":\"" + new string('p', 201 - 19) + "\"}";

        Assert.Equal("X " + exactly, Packet.Parse(exactly).ToString());
        Assert.Equal("X " + longer[..200] + "…", Packet.Parse(longer).ToString());
        Assert.Equal("X {\"TYPE\":\"X\",\"CL\":3} +3 bytes", Packet.Parse("{\"TYPE\":\"X\",\"CL\":3}", new byte[3]).ToString());
    }

    [Fact]
    public void ARecordWithAnInvalidType_IsAnArgumentException_NamingTheRecord()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Packet.From(new Misnamed("x")));

        Assert.Contains("packet type \"not-a-type\" is invalid", error.Message, StringComparison.Ordinal);
        Assert.Equal("Misnamed.PacketType", error.ParamName);
    }

    [Fact]
    public void AValueThatIsNotAnObject_CannotBeAPacket()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Packet.From("LIST", [1, 2], ChatJson.Default.Int32Array));

        Assert.StartsWith("Int32[] must serialize to a JSON object to be sent as a packet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecordWritingItsOwnCL_IsRefused_WithTheCountItWrote()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() =>
            Packet.From<Announcement>("CHUNK", new Chunk("a", 3), AnnouncementJson.Default.Announcement));

        Assert.Contains("Announcement cannot be sent as a packet: it writes CL = 3 but the packet has 0 content bytes; rename its CL field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AValueNestingBeyondTheWireLimit_IsStillAPacket_ThatEncodersRefuse()
    {
        // Packets are checked against the deepest limit any setting allows when made, and against the settings when sent.
        using JsonDocument deep = JsonDocument.Parse(new string('[', 100) + new string(']', 100), new JsonDocumentOptions { MaxDepth = 200 });
        var fields = new Dictionary<string, JsonElement> { ["D"] = deep.RootElement };

        Packet packet = Packet.From("DEEP", fields, BehaviourJson.Default.DictionaryStringJsonElement);

        Assert.Equal(101, packet.Depth);
        Assert.Equal(ProtocolError.TooDeep, Assert.Throws<ProtocolException>(() => new FrameEncoder().CheckLimits(packet)).Reason);
    }

    [Fact]
    public void FieldsAfterAVeryDeepOne_CanStillBeRead()
    {
        using JsonDocument deep = JsonDocument.Parse(new string('[', 1023) + new string(']', 1023), new JsonDocumentOptions { MaxDepth = 2000 });

        Packet packet = Packet.Create("X").Set("DEEP", deep.RootElement).Set("AFTER", 5L).Build();

        Assert.True(packet.TryGet("AFTER", out int after));
        Assert.Equal(5, after);
    }

    [Fact]
    public void Parse_AppliesTheGivenSettings()
    {
        var settings = ProtocolSettings.Default with { MaxDepth = 2, MaxContentSize = 2 };

        Assert.Equal(ProtocolError.TooDeep, Assert.Throws<ProtocolException>(() => Packet.Parse(Frames.Nested(3), settings: settings)).Reason);
        Assert.Equal(ProtocolError.ContentTooLarge,
            Assert.Throws<ProtocolException>(() => Packet.Parse("{\"TYPE\":\"X\",\"CL\":3}", new byte[3], settings)).Reason);
        Assert.Equal("DEEP", Packet.Parse(Frames.Nested(3)).Type);
    }

    [Fact]
    public void TryGetWithMetadata_IsFalseForAnAbsentOrNullField_AndReadsAPresentOne()
    {
        Packet packet = Packet.Parse("{\"TYPE\":\"X\",\"S\":{\"PLAYER\":\"bob\",\"POINTS\":3},\"N\":null}");

        Assert.False(packet.TryGet("ABSENT", ChatJson.Default.Score, out Score? absent));
        Assert.Null(absent);
        Assert.False(packet.TryGet("N", ChatJson.Default.Score, out _));
        Assert.True(packet.TryGet("S", ChatJson.Default.Score, out Score? score));
        Assert.Equal(new Score("bob", 3), score);
    }

    [Fact]
    public void GetString_ReadsAString_AndRefusesAnythingElse()
    {
        Packet packet = Packet.Parse("{\"TYPE\":\"X\",\"T\":\"a\\u00e9\",\"N\":1}");

        Assert.Equal("aé", packet.GetString("T"));
        Assert.Throws<InvalidOperationException>(() => packet.GetString("N"));
        Assert.Throws<KeyNotFoundException>(() => packet.GetString("ABSENT"));
    }

    [Fact]
    public void AShallowPacketWithManyBrackets_IsNotTakenForADeepOne()
    {
        // Counting brackets is only a first filter: siblings do not nest, and strings hold no structure.
        var settings = ProtocolSettings.Default with { MaxDepth = 2 };
        Packet wide = Packet.Parse("{\"TYPE\":\"X\",\"A\":[],\"B\":[],\"C\":{},\"D\":\"[[[[\"}");

        new FrameEncoder(settings).CheckLimits(wide);
        Assert.Equal(wide.Json.ToArray(), new DatagramCodec(settings).Encode(wide).ToArray());
        Assert.Equal(2, wide.Depth);
    }

    [Theory]
    [InlineData("{\"TYPE\":\"X\",\"E\":\"\",\"A\":[[]]}")]
    [InlineData("{\"TYPE\":\"X\",\"E\":\"\\\\\",\"A\":[[]]}")]
    [InlineData("{\"TYPE\":\"X\",\"E\":\"\\\"]]\",\"A\":[[]]}")]
    [InlineData("{\"TYPE\":\"X\",\"A\":[[]]}   ")]
    public void DepthIsMeasuredPastStringsAndTrailingSpace(string json)
    {
        Packet packet = Packet.Parse(json);

        Assert.Equal(3, packet.Depth);
        Assert.Equal(ProtocolError.TooDeep,
            Assert.Throws<ProtocolException>(() => new FrameEncoder(ProtocolSettings.Default with { MaxDepth = 2 }).CheckLimits(packet)).Reason);
    }

    [Fact]
    public void RecordsThatNest_AreMeasured_NotTakenForFlat()
    {
        Packet segment = Packet.From("SEGMENT", new Segment(new Position(0, 0), new Position(1, 1)), BehaviourJson.Default.Segment);
        Packet placed = Packet.From<Marker>("MARKER", new Placed("m", new Position(2, 3)), BehaviourJson.Default.Marker);

        Assert.Equal(2, segment.Depth);
        Assert.Equal(2, placed.Depth);
        Assert.Equal(ProtocolError.TooDeep, Assert.Throws<ProtocolException>(() => new FrameEncoder(ProtocolSettings.Default with { MaxDepth = 1 }).CheckLimits(placed)).Reason);
    }

    [Fact]
    public void TryGetString_OfANumber_IsFalse()
    {
        Assert.False(Packet.Parse("{\"TYPE\":\"X\",\"N\":1}").TryGet("N", out string? text));
        Assert.Null(text);
    }

    [Fact]
    public void AProtocolExceptionWithoutDetails_IsInvalidJson()
    {
        var error = new ProtocolException();

        Assert.Equal(ProtocolError.InvalidJson, error.Reason);
        Assert.Equal("the packet violates the Lan.Actors protocol", error.Message);
    }

    [Fact]
    public void NewSettings_StartFromTheDocumentedDefaults()
    {
        var settings = new ProtocolSettings();

        Assert.Equal(1024 * 1024, settings.MaxFrameSize);
        Assert.Equal(16 * 1024 * 1024, settings.MaxContentSize);
        Assert.Equal(32, settings.MaxDepth);
        Assert.Equal(1400, settings.MaxDatagramSize);
        Assert.Equal(Encoding.ASCII.GetBytes("{\"TYPE\":\"PING\"}"), Packet.From(new Ping()).Json.ToArray());
    }
}
