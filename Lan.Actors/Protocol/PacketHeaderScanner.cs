using System.Text;
using System.Text.Unicode;

namespace Lan.Actors.Protocol;

/// <summary>
/// The fast path in front of <see cref="PacketHeaderParser"/>: one forward pass over the bytes that accepts only JSON
/// it can vouch for completely — well-formed, valid UTF-8, within the depth limit, no escapes, one string TYPE and
/// at most one plain-digit CL — and gives up on everything else, which the full parser then accepts or refuses with
/// its precise error. So it can only ever say "valid, and here is the header"; it never decides that a packet is bad.
/// </summary>
/// <remarks>
/// Why it exists: validating every received packet with <c>Utf8JsonReader</c> was the largest single cost of echoing
/// packets (docs/PERFORMANCE.md). Ordinary packets are flat objects of short strings and numbers, which this pass
/// checks in well under half the time: string bodies are skipped thirty-two bytes at a time, and the cursor is a local
/// the JIT keeps in a register. <c>PacketHeaderScannerSpec</c> holds it to the full parser on generated and mutated JSON.
/// </remarks>
internal static class PacketHeaderScanner
{
    // Which open containers are objects, one bit per level; deeper packets take the full parser.
    private const int TrackedDepth = 64;

    // 18 digits always fit a long; a longer CL is left to the full parser's exact message.
    private const int MaxContentLengthDigits = 18;

    private const int NotValid = -1;

    private static ReadOnlySpan<byte> CanonicalStart => "{\"TYPE\":\""u8;

    /// <summary>True, with the header, when <paramref name="json"/> is certainly a valid packet; false when unsure.</summary>
    public static bool TryScan(ReadOnlySpan<byte> json, int maxDepth, int maxContentSize, bool isDatagram, out PacketHeader header)
    {
        string? lastType = null;
        return TryScan(json, maxDepth, maxContentSize, isDatagram, ref lastType, out header);
    }

    /// <summary>
    /// As the overload without <paramref name="lastType"/>, for a stream of packets: a canonical packet whose TYPE is the
    /// same as the last one's (most of a connection's traffic) takes that string after one comparison, skipping the name's
    /// validation and lookup; another TYPE, once shared, becomes <paramref name="lastType"/>.
    /// </summary>
    public static bool TryScan(ReadOnlySpan<byte> json, int maxDepth, int maxContentSize, bool isDatagram, ref string? lastType, out PacketHeader header)
    {
        header = default;
        if (maxDepth < 1)
        {
            return false;
        }

        // Bytes past 0x7F can only be valid inside strings (anywhere else no token matches them), so the string scan
        // notes whether any appeared, and only then is the UTF-8 checked: for the usual all-ASCII packet, never.
        var nonAscii = false;

        // Bit n is set when the container at depth n + 1 is an object; the packet itself is depth 1.
        ulong objects = 1;
        var depth = 1;
        var deepest = 1;
        string? type = null;
        long contentLength = -1;
        Expect next;
        int at;
        if (json.StartsWith(CanonicalStart))
        {
            // How every encoder here starts a packet: the TYPE is read without going through the general member path.
            var nameEnd = StringEnd(json, CanonicalStart.Length - 1, ref nonAscii);
            if (nameEnd == NotValid)
            {
                return false;
            }

            // A valid name is ASCII, so equal bytes and chars mean the same, already validated, name.
            var name = json[CanonicalStart.Length..(nameEnd - 1)];
            var last = lastType;
            if (last is not null && name.Length == last.Length && Ascii.Equals(name, last))
            {
                type = last;
            }
            else if (PacketTypeName.TryShare(name, out type))
            {
                lastType = type;
            }
            else
            {
                return false;
            }

            at = nameEnd;
            next = Expect.AfterValue;
        }
        else
        {
            at = SkipWhitespace(json, 0);
            if (at >= json.Length || json[at] != (byte)'{')
            {
                return false;
            }

            at++;
            next = Expect.FirstMember;
        }
        while (true)
        {
            at = SkipWhitespace(json, at);
            if (at >= json.Length)
            {
                // Only the end of the packet object may meet the end of the bytes.
                if (depth != 0 || type is null || (nonAscii && !Utf8.IsValid(json)))
                {
                    return false;
                }

                header = new PacketHeader(type, (int)Math.Max(contentLength, 0), deepest);
                return true;
            }

            var token = json[at];
            switch (next)
            {
                case Expect.FirstMember when token == (byte)'}':
                case Expect.FirstElement when token == (byte)']':
                    at++;
                    depth--;
                    next = Expect.AfterValue;
                    break;
                case Expect.FirstMember or Expect.Member:
                    var keyEnd = StringEnd(json, at, ref nonAscii);
                    if (keyEnd == NotValid)
                    {
                        return false;
                    }

                    var key = json[(at + 1)..(keyEnd - 1)];
                    at = SkipWhitespace(json, keyEnd);
                    if (at >= json.Length || json[at] != (byte)':')
                    {
                        return false;
                    }

                    at = SkipWhitespace(json, at + 1);
                    next = Expect.AfterValue;
                    if (depth == 1 && key.SequenceEqual("TYPE"u8))
                    {
                        var nameEnd = StringEnd(json, at, ref nonAscii);
                        if (type is not null || nameEnd == NotValid || !PacketTypeName.TryShare(json[(at + 1)..(nameEnd - 1)], out type))
                        {
                            return false;
                        }

                        at = nameEnd;
                    }
                    else if (depth == 1 && key.SequenceEqual("CL"u8))
                    {
                        var digitsEnd = Digits(json, at, out var length);
                        if (contentLength >= 0 || digitsEnd == NotValid || length > maxContentSize || (isDatagram && length > 0))
                        {
                            return false;
                        }

                        contentLength = length;
                        at = digitsEnd;
                    }
                    else
                    {
                        next = Expect.Value;
                    }

                    break;
                case Expect.FirstElement or Expect.Value:
                    if (token is (byte)'{' or (byte)'[')
                    {
                        if (depth + 1 > maxDepth || depth >= TrackedDepth)
                        {
                            return false;
                        }

                        objects = token == (byte)'{' ? objects | (1UL << depth) : objects & ~(1UL << depth);
                        depth++;
                        deepest = Math.Max(deepest, depth);
                        next = token == (byte)'{' ? Expect.FirstMember : Expect.FirstElement;
                        at++;
                        break;
                    }

                    at = ScalarEnd(json, at, token, ref nonAscii);
                    if (at == NotValid)
                    {
                        return false;
                    }

                    next = Expect.AfterValue;
                    break;
                default:
                    var inObject = depth > 0 && (objects & (1UL << (depth - 1))) != 0;
                    if (depth > 0 && token == (byte)',')
                    {
                        next = inObject ? Expect.Member : Expect.Value;
                    }
                    else if (depth > 0 && token == (inObject ? (byte)'}' : (byte)']'))
                    {
                        depth--;
                    }
                    else
                    {
                        return false;
                    }

                    at++;
                    break;
            }
        }
    }

    private enum Expect
    {
        /// <summary>Just after '{': a member or '}'.</summary>
        FirstMember,

        /// <summary>After ',' in an object: a member.</summary>
        Member,

        /// <summary>Just after '[': a value or ']'.</summary>
        FirstElement,

        /// <summary>After ':' or after ',' in an array: a value.</summary>
        Value,

        /// <summary>After a value: ',' or the close of its container; after the packet object, only the end.</summary>
        AfterValue,
    }

    /// <summary>Where a string, number or literal starting at <paramref name="at"/> ends, or <see cref="NotValid"/>.</summary>
    private static int ScalarEnd(ReadOnlySpan<byte> json, int at, byte token, ref bool nonAscii) => token switch
    {
        (byte)'"' => StringEnd(json, at, ref nonAscii),
        (byte)'t' => LiteralEnd(json, at, "true"u8),
        (byte)'f' => LiteralEnd(json, at, "false"u8),
        (byte)'n' => LiteralEnd(json, at, "null"u8),
        _ => NumberEnd(json, at),
    };

    /// <summary>
    /// Just past the closing quote of a string without escapes or control characters at <paramref name="at"/>; sets
    /// <paramref name="nonAscii"/> when the string holds a byte past 0x7F.
    /// </summary>
    private static int StringEnd(ReadOnlySpan<byte> json, int at, ref bool nonAscii)
    {
        if (at >= json.Length || json[at] != (byte)'"')
        {
            return NotValid;
        }

        var body = json[(at + 1)..];
        var stop = JsonStringScan.IndexOfStop(body, stopAtNonAscii: !nonAscii);
        if (stop >= 0 && body[stop] > 0x7F)
        {
            // Noted once; from here on only the end of the string matters, and the whole packet's UTF-8 is checked last.
            nonAscii = true;
            var rest = JsonStringScan.IndexOfStop(body[stop..], stopAtNonAscii: false);
            stop = rest >= 0 ? stop + rest : NotValid;
        }

        return stop >= 0 && body[stop] == (byte)'"' ? at + 1 + stop + 1 : NotValid;
    }

    /// <summary>
    /// The end of a non-negative integer as JSON writes it (no sign, fraction, exponent or leading zero) that fits a
    /// long; its value in <paramref name="value"/>.
    /// </summary>
    private static int Digits(ReadOnlySpan<byte> json, int at, out long value)
    {
        value = 0;
        var start = at;
        while (at < json.Length && IsDigit(json[at]))
        {
            value = (value * 10) + (json[at] - '0');
            at++;
        }

        var count = at - start;
        var plain = count is > 0 and <= MaxContentLengthDigits && (count == 1 || json[start] != (byte)'0');
        return plain && !ContinuesNumber(json, at) ? at : NotValid;
    }

    /// <summary>The end of a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    private static int NumberEnd(ReadOnlySpan<byte> json, int at)
    {
        if (at < json.Length && json[at] == (byte)'-')
        {
            at++;
        }

        if (at >= json.Length || !IsDigit(json[at]))
        {
            return NotValid;
        }

        at = json[at] == (byte)'0' ? at + 1 : DigitsEnd(json, at);
        if (at < json.Length && json[at] == (byte)'.')
        {
            var fraction = DigitsEnd(json, at + 1);
            if (fraction == at + 1)
            {
                return NotValid;
            }

            at = fraction;
        }

        if (at < json.Length && (json[at] | 0x20) == (byte)'e')
        {
            at++;
            if (at < json.Length && json[at] is (byte)'+' or (byte)'-')
            {
                at++;
            }

            var exponent = DigitsEnd(json, at);
            if (exponent == at)
            {
                return NotValid;
            }

            at = exponent;
        }

        return ContinuesNumber(json, at) ? NotValid : at;
    }

    private static int LiteralEnd(ReadOnlySpan<byte> json, int at, ReadOnlySpan<byte> literal)
    {
        if (!json[at..].StartsWith(literal))
        {
            return NotValid;
        }

        at += literal.Length;
        // "truex" or "nullnull" is not a literal followed by a delimiter.
        return at < json.Length && IsLetterOrDigit(json[at]) ? NotValid : at;
    }

    private static int DigitsEnd(ReadOnlySpan<byte> json, int at)
    {
        while (at < json.Length && IsDigit(json[at]))
        {
            at++;
        }

        return at;
    }

    // A digit, letter, dot or sign right after a number means it was not one (for example 01, 1.2.3 or 1-2).
    private static bool ContinuesNumber(ReadOnlySpan<byte> json, int at) =>
        at < json.Length && (IsLetterOrDigit(json[at]) || json[at] is (byte)'.' or (byte)'+' or (byte)'-');

    private static int SkipWhitespace(ReadOnlySpan<byte> json, int at)
    {
        // Packets are usually written without whitespace: one test, and out.
        while (at < json.Length && json[at] <= (byte)' ' && json[at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            at++;
        }

        return at;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool IsLetterOrDigit(byte b) => IsDigit(b) || (b | 0x20) is >= (byte)'a' and <= (byte)'z';
}
