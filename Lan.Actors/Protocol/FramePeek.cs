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
        if (buffer.Length < FrameEncoder.PrefixLength)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[FrameEncoder.PrefixLength];
        buffer.Slice(0, FrameEncoder.PrefixLength).CopyTo(prefix);
        long jsonLength = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        ReadOnlySequence<byte> json = buffer.Slice(FrameEncoder.PrefixLength);
        bool whole = json.Length >= jsonLength;
        if (whole)
        {
            json = json.Slice(0, jsonLength);
        }

        Span<byte> gathered = stackalloc byte[PacketTypeName.MaxLength];
        try
        {
            var reader = new Utf8JsonReader(json, isFinalBlock: whole, default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            // Encoders put TYPE first, so this loop usually stops at the first property.
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
