using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Lan.Actors.Protocol;

/// <summary>What the decoder needs from a packet's JSON: its type, how much content follows, and how deep it nests when that was measured (0 when not).</summary>
internal readonly record struct PacketHeader(string Type, int ContentLength, int Depth = 0);

/// <summary>
/// Checks one packet's JSON against every rule of the protocol in a single forward pass, without recursion
/// (so hostile nesting cannot overflow the stack) and without allocating except for new type names.
/// </summary>
internal static class PacketHeaderParser
{
    private const int EscapedOnStack = 256;

    public static PacketHeader Parse(ReadOnlySpan<byte> json, int maxDepth, int maxContentSize, bool isDatagram)
    {
        string? lastType = null;
        return Parse(json, maxDepth, maxContentSize, isDatagram, ref lastType);
    }

    /// <summary>
    /// As <see cref="Parse(ReadOnlySpan{byte}, int, int, bool)"/>, for a caller that parses a stream of packets:
    /// <paramref name="lastType"/> holds the type of its last packet, recognised again without validating or looking up the name.
    /// </summary>
    public static PacketHeader Parse(ReadOnlySpan<byte> json, int maxDepth, int maxContentSize, bool isDatagram, ref string? lastType)
    {
        // The usual packet is vouched for by the fast scanner; anything it is unsure of gets the full check below.
        if (PacketHeaderScanner.TryScan(json, maxDepth, maxContentSize, isDatagram, ref lastType, out var scanned))
        {
            return scanned;
        }

        return ParseFully(json, maxDepth, maxContentSize, isDatagram);
    }

    /// <summary>The complete check with <see cref="Utf8JsonReader"/>: the reference <see cref="PacketHeaderScanner"/> is held to, and the source of every error.</summary>
    internal static PacketHeader ParseFully(ReadOnlySpan<byte> json, int maxDepth, int maxContentSize, bool isDatagram)
    {
        if (json.IsEmpty)
        {
            throw new ProtocolException(ProtocolError.EmptyFrame, isDatagram
                ? "empty datagram; a datagram must hold one JSON object with a TYPE"
                : "empty frame (length prefix 0); a frame must hold one JSON object with a TYPE");
        }

        if (!Utf8.IsValid(json))
        {
            throw new ProtocolException(ProtocolError.InvalidUtf8,
                $"packet JSON is not valid UTF-8 at byte {FirstInvalidUtf8(json)}; peers must send UTF-8 text");
        }

        // One level of slack: our own check below reports TooDeep before the reader would throw its generic error.
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new ProtocolException(ProtocolError.NotAnObject,
                    $"packet JSON is a {Describe(reader.TokenType)}, not an object; send one object like {{\"TYPE\":\"PING\"}}");
            }

            string? type = null;
            long contentLength = -1;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (reader.CurrentDepth + 1 > maxDepth)
                        {
                            throw new ProtocolException(ProtocolError.TooDeep,
                                $"packet JSON nests deeper than lan.protocol.max-depth = {maxDepth}; flatten the packet or raise the limit on both peers");
                        }

                        break;
                    case JsonTokenType.PropertyName:
                        CheckEscapes(ref reader);
                        if (reader.CurrentDepth != 1)
                        {
                            break;
                        }

                        if (reader.ValueTextEquals("TYPE"u8))
                        {
                            if (type is not null)
                            {
                                throw new ProtocolException(ProtocolError.InvalidType, $"packet has TYPE twice (first {type}); send exactly one TYPE");
                            }

                            reader.Read();
                            type = ReadType(ref reader);
                        }
                        else if (reader.ValueTextEquals("CL"u8))
                        {
                            if (contentLength >= 0)
                            {
                                throw new ProtocolException(ProtocolError.InvalidJson, "packet has CL twice; send at most one CL");
                            }

                            reader.Read();
                            contentLength = ReadContentLength(ref reader, maxContentSize, isDatagram);
                        }

                        break;
                    case JsonTokenType.String:
                        CheckEscapes(ref reader);
                        break;
                }
            }

            if (type is null)
            {
                throw new ProtocolException(ProtocolError.MissingType, "packet has no TYPE; add a \"TYPE\" string such as \"MESSAGE\"");
            }

            return new PacketHeader(type, (int)Math.Max(contentLength, 0));
        }
        catch (JsonException e)
        {
            throw new ProtocolException(ProtocolError.InvalidJson,
                $"packet is not well-formed JSON at line {(e.LineNumber ?? 0) + 1}, byte {e.BytePositionInLine} of that line: {e.Message}", e);
        }
    }

    private static string ReadType(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new ProtocolException(ProtocolError.InvalidType,
                $"TYPE is a {Describe(reader.TokenType)}; it must be a string matching [A-Z0-9_]{{1,{PacketTypeName.MaxLength}}}");
        }

        // Escapes are refused so that a TYPE can be recognised from its raw bytes, by any peer, without unescaping.
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        if (reader.ValueIsEscaped || !PacketTypeName.IsValid(raw))
        {
            throw new ProtocolException(ProtocolError.InvalidType,
                $"TYPE \"{Shorten(raw)}\" must be 1 to {PacketTypeName.MaxLength} unescaped characters from A-Z, 0-9 and _");
        }

        return PacketTypeName.ToShared(raw);
    }

    private static long ReadContentLength(ref Utf8JsonReader reader, int maxContentSize, bool isDatagram)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new ProtocolException(ProtocolError.InvalidJson,
                $"CL is a {Describe(reader.TokenType)}; it must be a whole number ≥ 0, the count of content bytes after the frame");
        }

        bool fits = reader.TryGetInt64(out long length);
        if (!fits && IsDigits(reader.ValueSpan))
        {
            // Too many digits for a long is still a size, just an absurd one: report it as too large, in its own digits.
            throw new ProtocolException(ProtocolError.ContentTooLarge,
                $"content of {Shorten(reader.ValueSpan)} bytes exceeds lan.protocol.max-content-size = {ByteSizeText.Format(maxContentSize)}; split the data into several packets or raise the limit on both peers");
        }
        else if (!fits || length < 0 || reader.ValueSpan[0] == (byte)'-')
        {
            throw new ProtocolException(ProtocolError.InvalidJson,
                $"CL = {Shorten(reader.ValueSpan)} must be a whole number ≥ 0, the count of content bytes after the frame");
        }

        if (isDatagram && length > 0)
        {
            throw new ProtocolException(ProtocolError.ContentTooLarge,
                $"a datagram carries no content but says CL = {length}; send content over TCP");
        }

        if (length > maxContentSize)
        {
            throw new ProtocolException(ProtocolError.ContentTooLarge,
                $"content of {ByteSizeText.Format(length)} exceeds lan.protocol.max-content-size = {ByteSizeText.Format(maxContentSize)}; split the data into several packets or raise the limit on both peers");
        }

        return length;
    }

    /// <summary>Unescapes escaped strings once so a field reader never meets an unpaired surrogate later.</summary>
    private static void CheckEscapes(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            // Stryker disable once Statement : equivalent: copying a string without escapes cannot fail, it only costs the copy
            return;
        }

        int length = reader.ValueSpan.Length;
        // Stryker disable once Conditional,Equality : equivalent for >= and for always renting: a pooled array holds the string as well as the stack does
        byte[]? rented = length > EscapedOnStack ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> unescaped = rented ?? stackalloc byte[EscapedOnStack];
        try
        {
            reader.CopyString(unescaped);
        }
        catch (InvalidOperationException e)
        {
            throw new ProtocolException(ProtocolError.InvalidUtf8,
                $"a string escape in the packet encodes invalid UTF-16 (an unpaired surrogate); peers must send valid Unicode", e);
        }
        finally
        {
            // Stryker disable once Block,Statement : equivalent: an array not returned to the pool is collected; only reuse is lost
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool IsDigits(ReadOnlySpan<byte> number)
    {
        foreach (byte b in number)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        int index = 0;
        // Stryker disable once Equality : equivalent for <=: the input is known invalid, so the loop returns before the end
        while (index < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[index..], out _, out int consumed) != OperationStatus.Done)
            {
                return index;
            }

            index += consumed;
        }

        return index;
    }

    private static string Shorten(ReadOnlySpan<byte> raw)
    {
        const int Shown = 40;
        // Stryker disable once Equality : equivalent for >=: cutting exactly 40 bytes at 40 is no cut
        string text = Encoding.UTF8.GetString(raw.Length > Shown ? raw[..Shown] : raw);
        return raw.Length > Shown ? text + "…" : text;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
