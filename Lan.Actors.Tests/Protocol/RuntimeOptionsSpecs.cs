using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

public sealed record Paint(string PlayerName, int Strokes);

/// <summary>An enum whose own converter writes a deeply nested object.</summary>
[JsonConverter(typeof(NestingColorConverter))]
public enum Color
{
    Green,
}

public sealed record Brush(string Name, Color Color);

public sealed class NestingColorConverter : JsonConverter<Color>
{
    public override Color Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Color.Green;

    public override void Write(Utf8JsonWriter writer, Color value, JsonSerializerOptions options)
    {
        for (var i = 0; i < 40; i++)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("x");
        }
        writer.WriteNumberValue(1);
        for (var i = 0; i < 40; i++)
        {
            writer.WriteEndObject();
        }
    }
}

[JsonSerializable(typeof(Paint))]
[JsonSerializable(typeof(Brush))]
internal sealed partial class PaintJson : JsonSerializerContext;

public sealed class RuntimeOptionsSpecs
{
    [Fact]
    public void MetadataWithRuntimeOptions_IsWrittenAsTheSerializerWouldWriteIt()
    {
        var context = new PaintJson(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var packet = Packet.From("PAINT", new Paint("ann", 3), context.Paint);
        var json = Encoding.UTF8.GetString(packet.Json.Span);
        Assert.Contains("\"playerName\":\"ann\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEnumWithItsOwnConverter_IsNotTakenForFlat_SoTheEncoderCatchesTheDepth()
    {
        var packet = Packet.From("BRUSH", new Brush("deep", Color.Green), PaintJson.Default.Brush);
        var error = Assert.Throws<ProtocolException>(() => new FrameEncoder().Write(packet, new ArrayBufferWriter<byte>()));
        Assert.Equal(ProtocolError.TooDeep, error.Reason);
    }
}
