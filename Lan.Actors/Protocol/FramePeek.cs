using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Lan.Actors.Protocol;

/// <summary>Finds a frame's TYPE from the bytes at hand, without copying or consuming them.</summary>
internal static class FramePeek
{
    public static bool TryPeekType(in ReadOnlySequence<byte> buffer, [NotNullWhen(true)] out string? type)
    {
        type = null;
        // Stryker disable once Equality : equivalent for <=: a lone prefix has no JSON after it, and the reader below finds no TYPE in nothing
        if (buffer.Length < FrameEncoder.PrefixLength)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[FrameEncoder.PrefixLength];
        buffer.Slice(0, FrameEncoder.PrefixLength).CopyTo(prefix);
        long jsonLength = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        ReadOnlySequence<byte> json = buffer.Slice(FrameEncoder.PrefixLength);
        // Stryker disable once Equality : equivalent for >: a TYPE is a string, read whole from a final or a non-final block alike
        bool whole = json.Length >= jsonLength;
        // Stryker disable once Block : equivalent: the reader stops at the end of the frame's object, so the next frame's bytes are never read
        if (whole)
        {
            json = json.Slice(0, jsonLength);
        }

        Span<byte> gathered = stackalloc byte[PacketTypeName.MaxLength];
        try
        {
            var reader = new Utf8JsonReader(json, isFinalBlock: whole, default);
            // Stryker disable once Logical : equivalent: JSON that is not an object never yields a property name at the next read
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            // Encoders put TYPE first, so this loop usually stops at the first property.
            // Stryker disable once Logical : equivalent: on any other token ValueTextEquals throws, which is caught as "no TYPE"
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("TYPE"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
                    {
                        return false;
                    }

                    // A TYPE split across pipe segments is gathered on the stack; it is at most 64 bytes.
                    scoped ReadOnlySpan<byte> raw = reader.ValueSpan;
                    if (reader.HasValueSequence)
                    {
                        if (reader.ValueSequence.Length > PacketTypeName.MaxLength)
                        {
                            return false;
                        }

                        reader.ValueSequence.CopyTo(gathered);
                        raw = gathered[..(int)reader.ValueSequence.Length];
                    }

                    if (!PacketTypeName.IsValid(raw))
                    {
                        return false;
                    }

                    type = PacketTypeName.ToShared(raw);
                    return true;
                }

                if (!reader.TrySkip())
                {
                    return false;
                }
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // Comparing a name that escapes an unpaired surrogate throws; such a frame has no readable TYPE.
            return false;
        }
    }
}
