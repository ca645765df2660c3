using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Lan.Actors.Filer;

/// <summary>
/// Turns a file name that came from the network into a name that is safe in a receive folder, or refuses it with
/// the reason. A safe name is one plain file name: no path, no <c>..</c>, no separators, no control or invisible
/// formatting characters, no reserved device name (CON, NUL, COM1…), not hidden, not empty, not too long, and not
/// one of the receiver's own <c>.part</c> files. Nothing is ever rewritten silently: a name is accepted as it is or refused.
/// Every rule holds for the name as it reads once look-alike characters are folded too (<see cref="FoldLookAlikes"/>:
/// fullwidth <c>ＣＯＮ</c> is <c>CON</c>, <c>．hidden</c> is <c>.hidden</c>), and any kind of space counts as a space (a
/// trailing no-break or ideographic space is refused as a trailing space is).
/// </summary>
public static class SafeFileName
{
    /// <summary>The longest name accepted, in UTF-16 characters; leaves room for " (n)" and ".part.json" within 255 bytes of most file systems.</summary>
    public const int MaxLength = 200;

    /// <summary>The suffix of a file being received.</summary>
    public const string PartSuffix = ".part";

    /// <summary>The suffix of the sidecar that records a <see cref="PartSuffix"/> file's verified length.</summary>
    public const string SidecarSuffix = ".part.json";

    private static readonly HashSet<string> s_reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
    };

    // Refused on every system, so a file received on Linux can still be copied to Windows as it is.
    private static readonly SearchValues<char> s_forbidden = SearchValues.Create("/\\:*?\"<>|");

    /// <summary>Checks <paramref name="name"/>; true with the name when it is safe, false with the reason when not.</summary>
    public static bool TryCheck(string? name, [NotNullWhen(true)] out string? safe, [NotNullWhen(false)] out string? reason)
    {
        safe = null;
        reason = Refusal(name);
        if (reason is not null)
        {
            return false;
        }

        safe = name!;
        return true;
    }

    /// <summary>
    /// A path inside <paramref name="folder"/> for <paramref name="safeName"/> where nothing exists yet: the name
    /// itself, or "name (1).ext", "name (2).ext"… An existing file is never chosen, so never overwritten.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="safeName"/> is not safe.</exception>
    public static string ResolveTarget(string folder, string safeName)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!TryCheck(safeName, out _, out var reason))
        {
            throw new ArgumentException($"not a safe file name: {reason}", nameof(safeName));
        }

        var stem = Path.GetFileNameWithoutExtension(safeName);
        var extension = Path.GetExtension(safeName);
        var candidate = Inside(folder, safeName);
        for (var n = 1; File.Exists(candidate) || Directory.Exists(candidate); n++)
        {
            candidate = Inside(folder, string.Create(CultureInfo.InvariantCulture, $"{stem} ({n}){extension}"));
        }

        return candidate;
    }

    /// <summary>
    /// <paramref name="fileName"/> joined to <paramref name="folder"/>, checked to lie directly inside it: the last
    /// line of defence should a name ever slip past <see cref="TryCheck"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The path would leave the folder.</exception>
    public static string Inside(string folder, string fileName)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(fileName);
        var root = Path.GetFullPath(folder);
        var path = Path.GetFullPath(Path.Combine(root, fileName));
        if (!string.Equals(Path.GetDirectoryName(path), Path.TrimEndingDirectorySeparator(root), StringComparison.Ordinal))
        {
            throw new ArgumentException($"{fileName} would leave the folder {root}", nameof(fileName));
        }

        return path;
    }

    private static string? Refusal(string? name)
    {
        if (RefusalAsWritten(name) is { } refusal)
        {
            return refusal;
        }

        // Only a name that is well formed reaches here; folded, it must pass the same rules.
        var folded = FoldLookAlikes(name!);
        return folded == name || RefusalAsWritten(folded) is not { } foldedRefusal
            ? null
            : $"{foldedRefusal}, once look-alike characters are read as what they look like (\"{folded}\")";
    }

    /// <summary>
    /// <paramref name="name"/> with each character that looks like an ASCII one a rule is about read as that one: the
    /// fullwidth forms U+FF01 to U+FF5E, the ideographic space U+3000, the small form variants of <c>. / \ : * ? " &lt; &gt; |</c>
    /// (U+FE52, U+FE68, U+FE55, U+FE61, U+FE56, U+FE64, U+FE65), the one-dot leader U+2024, and the slashes U+2044,
    /// U+2215 and U+29F8. Done here rather than with Unicode NFKC, which a node built with invariant globalization
    /// (no ICU) does not have; it covers the characters that can disguise a device name, a dot or a separator.
    /// </summary>
    public static string FoldLookAlikes(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return string.Create(name.Length, name, static (folded, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                folded[i] = source[i] switch
                {
                    >= '\uFF01' and <= '\uFF5E' and var wide => (char)(wide - 0xFEE0),
                    '\u3000' => ' ',
                    '\uFE52' or '\u2024' => '.',
                    '\uFE68' => '\\',
                    '\uFE55' => ':',
                    '\uFE61' => '*',
                    '\uFE56' => '?',
                    '\uFE64' => '<',
                    '\uFE65' => '>',
                    '\u2044' or '\u2215' or '\u29F8' => '/',
                    var other => other,
                };
            }
        });
    }

    private static string? RefusalAsWritten(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "the name is empty";
        }

        if (name.Length > MaxLength)
        {
            return $"the name is longer than {MaxLength} characters";
        }

        if (name.AsSpan().IndexOfAny(s_forbidden) >= 0)
        {
            return "the name contains a path separator or a character Windows forbids (/ \\ : * ? \" < > |)";
        }

        if (!IsWellFormed(name))
        {
            return "the name contains a lone UTF-16 surrogate";
        }

        foreach (var c in name)
        {
            if (char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                return $"the name contains the control or formatting character U+{(int)c:X4}";
            }
        }

        if (name[0] == '.')
        {
            return name.Trim('.').Length == 0 ? "the name is . or .. (a folder, not a file)" : "the name is hidden (it starts with a dot)";
        }

        if (name[^1] == '.' || char.IsWhiteSpace(name[^1]) || char.IsWhiteSpace(name[0]))
        {
            return "the name starts with a space or ends with a dot or a space";
        }

        var device = name.Split('.')[0].TrimEnd();
        if (s_reserved.Contains(device))
        {
            return $"{device} is a reserved device name";
        }

        if (name.EndsWith(PartSuffix, StringComparison.OrdinalIgnoreCase) || name.EndsWith(SidecarSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return "the name ends like the receiver's own partial files (.part, .part.json)";
        }

        return null;
    }

    private static bool IsWellFormed(string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(name[i]))
            {
                return false;
            }
        }

        return true;
    }
}
