using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Lan.Actors.Protocol;

/// <summary>
/// Collects a packet's fields and content; <see cref="Build"/> encodes them once into an immutable <see cref="Packet"/>.
/// Setting a field twice keeps the last value, so the packet never carries duplicate names.
/// </summary>
public sealed class PacketBuilder
{
    private readonly string _type;
    private readonly List<KeyValuePair<string, Field>> _fields = [];
    private ReadOnlyMemory<byte> _content;

    /// <summary>Starts a packet of <paramref name="type"/>, which must match <c>[A-Z0-9_]{1,64}</c>.</summary>
    public PacketBuilder(string type)
    {
        PacketTypeName.Validate(type, nameof(type));
        _type = type;
    }

    /// <summary>Sets a string field; <see langword="null"/> writes JSON null.</summary>
    public PacketBuilder Set(string name, string? value) => Put(name, new Field(FieldKind.String, value, 0, 0, default));

    /// <summary>Sets a whole-number field.</summary>
    public PacketBuilder Set(string name, long value) => Put(name, new Field(FieldKind.Integer, null, value, 0, default));

    /// <summary>Sets a number field; NaN and infinities are refused because JSON cannot carry them.</summary>
    public PacketBuilder Set(string name, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"field {name} cannot be {value}: JSON numbers must be finite");
        }

        return Put(name, new Field(FieldKind.Number, null, 0, value, default));
    }

    /// <summary>Sets a boolean field.</summary>
    public PacketBuilder Set(string name, bool value) => Put(name, new Field(FieldKind.Boolean, null, value ? 1 : 0, 0, default));

    /// <summary>Sets a field to any JSON value (object, array, ...), e.g. one taken from another packet.</summary>
    public PacketBuilder Set(string name, JsonElement value) => Put(name, new Field(FieldKind.Element, null, 0, 0, value.Clone()));

    /// <summary>Sets a field to a nested value serialized with source-generated metadata.</summary>
    public PacketBuilder Set<T>(string name, T value, JsonTypeInfo<T> typeInfo) =>
        Set(name, JsonSerializer.SerializeToElement(value, typeInfo));

    /// <summary>
    /// Attaches binary content sent raw after the frame; the builder writes <c>CL</c> for it. The packet keeps a reference,
    /// not a copy: do not change these bytes afterwards.
    /// </summary>
    public PacketBuilder WithContent(ReadOnlyMemory<byte> content)
    {
        _content = content;
        return this;
    }

    /// <summary>Encodes the fields once and returns the immutable packet; the builder may be reused afterwards.</summary>
    public Packet Build()
    {
        byte[] json;
        using (PacketJsonWriter writer = PacketJsonWriter.Rent())
        {
            Utf8JsonWriter output = writer.Json;
            output.WriteStartObject();
            output.WriteString("TYPE"u8, _type);
            if (!_content.IsEmpty)
            {
                output.WriteNumber("CL"u8, _content.Length);
            }

            foreach ((string name, Field field) in _fields)
            {
                output.WritePropertyName(name);
                WriteValue(output, field);
            }

            output.WriteEndObject();
            json = writer.ToArray();
        }

        return new Packet(json, _type, _content);
    }

    private static void WriteValue(Utf8JsonWriter output, Field field)
    {
        switch (field.Kind)
        {
            case FieldKind.String when field.Text is null:
                output.WriteNullValue();
                break;
            case FieldKind.String:
                output.WriteStringValue(field.Text);
                break;
            case FieldKind.Integer:
                output.WriteNumberValue(field.Integer);
                break;
            case FieldKind.Number:
                output.WriteNumberValue(field.Number);
                break;
            case FieldKind.Boolean:
                output.WriteBooleanValue(field.Integer != 0);
                break;
            default:
                field.Element.WriteTo(output);
                break;
        }
    }

    private PacketBuilder Put(string name, Field field)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name is PacketFields.Type or PacketFields.ContentLength)
        {
            throw new ArgumentException(
                $"{name} is written by the builder: give TYPE to Packet.Create and content to WithContent", nameof(name));
        }

        for (int i = 0; i < _fields.Count; i++)
        {
            if (_fields[i].Key == name)
            {
                _fields[i] = new(name, field);
                return this;
            }
        }

        _fields.Add(new(name, field));
        return this;
    }

    private enum FieldKind
    {
        String,
        Integer,
        Number,
        Boolean,
        Element,
    }

    private readonly record struct Field(FieldKind Kind, string? Text, long Integer, double Number, JsonElement Element);
}
