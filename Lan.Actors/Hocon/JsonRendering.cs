using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lan.Actors.Hocon;

/// <summary>Writes a resolved tree as JSON; numbers keep the digits they were written with.</summary>
internal static class JsonRendering
{
    public static string ToJson(HoconValue value, bool indented)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = indented,
            // The output is read by people on a terminal: keep non-ASCII text and quotes readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = false,
        }))
        {
            Write(writer, value);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Write(Utf8JsonWriter writer, HoconValue value)
    {
        switch (value)
        {
            case HoconObject obj:
                writer.WriteStartObject();
                foreach (var key in obj.Keys)
                {
                    writer.WritePropertyName(key);
                    Write(writer, obj[key]);
                }

                writer.WriteEndObject();
                break;
            case HoconArray array:
                writer.WriteStartArray();
                foreach (var item in array.Items)
                {
                    Write(writer, item);
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
                throw new InvalidOperationException("only resolved trees can be written as JSON");
        }
    }
}
