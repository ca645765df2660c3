using System.Globalization;
using System.Text;

namespace Lan.Actors.Protocol;

/// <summary>
/// Makes a string a peer chose (a NAME, a TEXT, a REASON, a file name, a META value) safe to show in a terminal or a
/// log: every character a terminal would act on instead of showing is shown as an escape, so a peer's text can
/// neither move the cursor, clear the screen, set a window title, ring the bell, fake a new line, nor reorder what
/// follows it. Everything else, any language and emoji included, is kept as it is.
/// </summary>
/// <remarks>
/// Escaped: the C0 controls (<c>\n</c>, <c>\r</c>, <c>\t</c> by name, the rest as <c>\xHH</c>, ESC as <c>\x1B</c>), DEL and the
/// C1 range (<c>\x7F</c> to <c>\x9F</c>, where 8-bit terminals read CSI and OSC), the bidirectional controls
/// (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) and the line and paragraph separators (U+2028, U+2029)
/// as <c>\u202E</c>, and lone surrogates as <c>\uD800</c>.
/// </remarks>
public static class PeerText
{
    /// <summary>
    /// The first <paramref name="kept"/> characters of a string a peer chose, with "…" when there were more: what is
    /// kept of a peer's text that travels on (in events, logs, pages), so a peer cannot make it a megabyte.
    /// </summary>
    internal static string Shortened(string text, int kept = 64) =>
        text.Length <= kept ? text : string.Concat(text.AsSpan(0, char.IsHighSurrogate(text[kept - 1]) ? kept - 1 : kept), "…");

    /// <summary>The text with every character a terminal would act on escaped; "" for null. Returns the same string when nothing needs escaping.</summary>
    public static string ForDisplay(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var first = FirstUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var safe = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                safe.Append(c).Append(text[++i]);
            }
            else if (!IsUnsafe(c))
            {
                safe.Append(c);
            }
            else
            {
                AppendEscaped(safe, c);
            }
        }

        return safe.ToString();
    }

    /// <summary>True when <paramref name="text"/> holds no character <see cref="ForDisplay"/> would escape.</summary>
    public static bool IsSafe(string? text) => text is null || FirstUnsafe(text) < 0;

    private static int FirstUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (IsUnsafe(c))
            {
                return i;
            }
        }

        return -1;
    }

    // A paired surrogate never reaches here; a lone one is unsafe (a terminal shows garbage, a log writer may throw).
    private static bool IsUnsafe(char c) =>
        c < ' ' || c is >= '\x7F' and <= '\x9F' || char.IsSurrogate(c)
        || c is '\u061C' or '\u200E' or '\u200F' or '\u2028' or '\u2029' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';

    private static void AppendEscaped(StringBuilder safe, char c) => _ = c switch
    {
        '\n' => safe.Append("\\n"),
        '\r' => safe.Append("\\r"),
        '\t' => safe.Append("\\t"),
        <= '\xFF' => safe.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture)),
        _ => safe.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
    };
}
