using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lan.Actors.Hocon;

/// <summary>Writes a resolved tree as JSON; numbers keep the digits they were written with.</summary>
internal static class JsonRendering
{
    // Substitutions can graft deep trees into deep paths, and share subtrees that printing expands
    // ("billion laughs"): both are bounded so a hostile file gets a ConfigException, not a crash or a hang.
    private const int MaxDepth = 900;
    private const int MaxNodes = 1_000_000;

    public static string ToJson(HoconValue value, bool indented)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = indented,
            // The output is read by people on a terminal: keep non-ASCII text and quotes readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            // Stryker disable once Boolean : equivalent: the walk below only writes well-formed JSON, so the writer's checks never fire
            SkipValidation = false,
            MaxDepth = MaxDepth + 1,
        }))
        {
            var nodes = 0;
            Write(writer, value, 0, ref nodes);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Write(Utf8JsonWriter writer, HoconValue value, int depth, ref int nodes)
    {
        if (depth > MaxDepth)
        {
            throw new ConfigException(value.Origin, null, $"the resolved configuration nests more than {MaxDepth} levels deep; substitutions graft trees into each other too often");
        }

        if (++nodes > MaxNodes)
        {
            throw new ConfigException(value.Origin, null, $"the resolved configuration has more than {MaxNodes:N0} values; substitutions copy the same lists or objects too often");
        }

        switch (value)
        {
            case HoconObject obj:
                writer.WriteStartObject();
                foreach (var key in obj.Keys)
                {
                    writer.WritePropertyName(key);
                    Write(writer, obj[key], depth + 1, ref nodes);
                }

                writer.WriteEndObject();
                break;
            case HoconArray array:
                writer.WriteStartArray();
                foreach (var item in array.Items)
                {
                    Write(writer, item, depth + 1, ref nodes);
                }

                writer.WriteEndArray();
                break;
            case HoconScalar { Kind: HoconScalarKind.String } text:
                writer.WriteStringValue(text.Text);
                break;
            case HoconScalar { Kind: HoconScalarKind.Number } number:
                // WriteRawValue would skip indentation; a parsed element writes the same digits, formatted.
                using (var digits = JsonDocument.Parse(number.Text))
                {
                    digits.RootElement.WriteTo(writer);
                }

                break;
            case HoconScalar { Kind: HoconScalarKind.Boolean } boolean:
                writer.WriteBooleanValue(boolean.Text == "true");
                break;
            case HoconScalar:
                writer.WriteNullValue();
                break;
            default:
                // Stryker disable once String : unreachable: HoconConfig renders only its resolved Root
                throw new InvalidOperationException("only resolved trees can be written as JSON");
        }
    }
}
