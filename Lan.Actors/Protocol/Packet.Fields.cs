using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Lan.Actors.Protocol;

/// <summary>Typed access to a packet's top-level fields, read straight from its UTF-8 JSON without building a document.</summary>
public sealed partial class Packet
{
    // Every packet was checked against at most this depth when it was made, so field reads never hit the reader's limit.
    private static readonly JsonReaderOptions s_fieldReaderOptions = new() { MaxDepth = ProtocolSettings.MaxSupportedDepth + 1 };

    /// <summary>True when the packet has a top-level field called <paramref name="name"/> (including <c>TYPE</c> and <c>CL</c>).</summary>
    public bool Has(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryFindField(name, out _);
    }

    /// <summary>
    /// The string field <paramref name="name"/>, e.g. <c>GetString("TEXT")</c>. Throws <see cref="KeyNotFoundException"/> when it is
    /// absent and <see cref="InvalidOperationException"/> when it is not a string; use <see cref="TryGet{T}(string, out T)"/> to probe.
    /// </summary>
    public string GetString(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!TryFindField(name, out Utf8JsonReader reader))
        {
            throw new KeyNotFoundException($"packet {Type} has no field {name}; check with packet.Has(\"{name}\") or TryGet<string>");
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new InvalidOperationException(
                $"field {name} of packet {Type} is {reader.TokenType}, not a string; read it with TryGet<T> of the right type");
        }

        return reader.GetString()!;
    }

    /// <summary>
    /// Reads field <paramref name="name"/> as <typeparamref name="T"/>: <see cref="string"/>, <see cref="bool"/>, <see cref="int"/>,
    /// <see cref="long"/>, <see cref="double"/>, <see cref="decimal"/>, <see cref="Guid"/>, <see cref="DateTimeOffset"/> or
    /// <see cref="JsonElement"/>. False when the field is absent, null or of another kind. For other types pass a
    /// <see cref="JsonTypeInfo{T}"/> to <see cref="TryGet{T}(string, JsonTypeInfo{T}, out T)"/>.
    /// </summary>
    public bool TryGet<T>(string name, [MaybeNullWhen(false)] out T value)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsScalar<T>())
        {
            // Refused even when the field is absent, so a wrong T shows up on the first call and not in production.
            throw new NotSupportedException(
                $"TryGet<{typeof(T).Name}> reads only string, bool, int, long, double, decimal, Guid, DateTimeOffset and JsonElement; "
                + $"for {typeof(T).Name} pass source-generated metadata: TryGet(name, MyJsonContext.Default.{typeof(T).Name}, out value)");
        }

        if (!TryFindField(name, out Utf8JsonReader reader) || reader.TokenType == JsonTokenType.Null)
        {
            value = default;
            return false;
        }

        return TryReadScalar(ref reader, out value);
    }

    /// <summary>Reads field <paramref name="name"/> with source-generated metadata; false when it is absent, null or does not fit.</summary>
    public bool TryGet<T>(string name, JsonTypeInfo<T> typeInfo, [MaybeNullWhen(false)] out T value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(typeInfo);
        // Stryker disable once Logical : equivalent: an absent or null field makes the deserializer below fail or give null, both false
        if (!TryFindField(name, out Utf8JsonReader reader) || reader.TokenType == JsonTokenType.Null)
        {
            value = default;
            return false;
        }

        try
        {
            value = JsonSerializer.Deserialize(ref reader, typeInfo);
            return value is not null;
        }
        catch (JsonException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>Positions a reader on the value of top-level field <paramref name="name"/>.</summary>
    private bool TryFindField(string name, out Utf8JsonReader reader)
    {
        reader = new Utf8JsonReader(_json, s_fieldReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool found = reader.ValueTextEquals(name);
            reader.Read();
            if (found)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    private static bool TryReadScalar<T>(ref Utf8JsonReader reader, [MaybeNullWhen(false)] out T value)
    {
        // typeof(T) tests are folded away by the JIT and the AOT compiler; Unsafe.As reinterprets without boxing.
        value = default;
        if (typeof(T) == typeof(string))
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            value = (T)(object)reader.GetString()!;
            return true;
        }

        if (typeof(T) == typeof(bool))
        {
            bool ok = reader.TokenType is JsonTokenType.True or JsonTokenType.False;
            bool flag = ok && reader.GetBoolean();
            value = Unsafe.As<bool, T>(ref flag);
            return ok;
        }

        if (typeof(T) == typeof(int))
        {
            int number = default;
            bool ok = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out number);
            value = Unsafe.As<int, T>(ref number);
            return ok;
        }

        if (typeof(T) == typeof(long))
        {
            long number = default;
            bool ok = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out number);
            value = Unsafe.As<long, T>(ref number);
            return ok;
        }

        if (typeof(T) == typeof(double))
        {
            double number = default;
            bool ok = reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out number);
            value = Unsafe.As<double, T>(ref number);
            return ok;
        }

        if (typeof(T) == typeof(decimal))
        {
            decimal number = default;
            bool ok = reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out number);
            value = Unsafe.As<decimal, T>(ref number);
            return ok;
        }

        if (typeof(T) == typeof(Guid))
        {
            Guid guid = default;
            bool ok = reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out guid);
            value = Unsafe.As<Guid, T>(ref guid);
            return ok;
        }

        if (typeof(T) == typeof(DateTimeOffset))
        {
            DateTimeOffset time = default;
            bool ok = reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out time);
            value = Unsafe.As<DateTimeOffset, T>(ref time);
            return ok;
        }

        if (typeof(T) == typeof(JsonElement))
        {
            JsonElement element = JsonElement.ParseValue(ref reader);
            value = Unsafe.As<JsonElement, T>(ref element);
            return true;
        }

        // Stryker disable once all : unreachable: IsScalar admits exactly the types read above
        throw new UnreachableException($"{typeof(T).Name} passed IsScalar but has no reader");
    }

    private static bool IsScalar<T>() =>
        typeof(T) == typeof(string) || typeof(T) == typeof(bool) || typeof(T) == typeof(int) || typeof(T) == typeof(long)
        || typeof(T) == typeof(double) || typeof(T) == typeof(decimal) || typeof(T) == typeof(Guid)
        || typeof(T) == typeof(DateTimeOffset) || typeof(T) == typeof(JsonElement);
}
