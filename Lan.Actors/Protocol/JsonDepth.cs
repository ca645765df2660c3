using System.Buffers;

namespace Lan.Actors.Protocol;

/// <summary>
/// Measures how deep a packet's JSON nests, so encoders can refuse what a peer would refuse. One vectorised pass
/// that jumps between brackets and quotes: text-heavy packets cost little more than a search.
/// </summary>
internal static class JsonDepth
{
    private static readonly SearchValues<byte> s_structural = SearchValues.Create("\"{}[]"u8);
    private static readonly SearchValues<byte> s_stringEnd = SearchValues.Create("\"\\"u8);

    /// <summary>The deepest nesting in <paramref name="json"/> (a packet object alone is 1); the JSON is assumed well formed.</summary>
    public static int Measure(ReadOnlySpan<byte> json)
    {
        int depth = 0;
        int deepest = 0;
        int i = 0;
        // Stryker disable once Equality : equivalent for <=: at the end the search finds nothing and the loop stops
        while (i < json.Length)
        {
            int next = json[i..].IndexOfAny(s_structural);
            if (next < 0)
            {
                break;
            }

            i += next;
            switch (json[i])
            {
                case (byte)'"':
                    i = SkipString(json, i + 1);
                    continue;
                case (byte)'{' or (byte)'[':
                    deepest = Math.Max(deepest, ++depth);
                    break;
                default:
                    depth--;
                    break;
            }

            i++;
        }

        return deepest;
    }

    /// <summary>The index just past the closing quote of the string whose first character is at <paramref name="start"/>.</summary>
    private static int SkipString(ReadOnlySpan<byte> json, int start)
    {
        int i = start;
        // Stryker disable once Equality : equivalent for <=: at the end the search finds nothing and the string ends there
        while (i < json.Length)
        {
            int next = json[i..].IndexOfAny(s_stringEnd);
            // Stryker disable once Block : unreachable: packets are well-formed JSON, so every string has its closing quote
            if (next < 0)
            {
                return json.Length;
            }

            i += next;
            if (json[i] == (byte)'"')
            {
                return i + 1;
            }

            i += 2; // a backslash and the character it escapes
        }

        return json.Length;
    }
}
