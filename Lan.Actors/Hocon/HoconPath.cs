using System.Text;

namespace Lan.Actors.Hocon;

/// <summary>Path expressions given to the getters (<c>lan.tcp.port</c>, <c>a."b.c"</c>) and their display form.</summary>
internal static class HoconPath
{
    public static string[] Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        // Stryker disable once String,Block : equivalent: sending a path to the general loop below (".." made empty, or the shortcut removed) splits it the same way
        if (!path.Contains('"', StringComparison.Ordinal) && !path.Contains("..", StringComparison.Ordinal)
            && path.Length > 0 && path[0] != '.' && path[^1] != '.')
        {
            // The usual case, lan.tcp.port: no quoting, so a plain split is exact.
            return path.Split('.');
        }

        var segments = new List<string>();
        var segment = new StringBuilder();
        var quotedInSegment = false;
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '"')
            {
                var end = path.IndexOf('"', i + 1);
                // Stryker disable once Equality : equivalent for <=: the search starts after the opening quote, so it never finds one at 0
                if (end < 0)
                {
                    throw new ConfigException(null, path, "unclosed quote in path; write it as a.\"b.c\"");
                }

                segment.Append(path, i + 1, end - i - 1);
                quotedInSegment = true;
                i = end;
            }
            else if (c == '.')
            {
                Close();
            }
            else
            {
                segment.Append(c);
            }
        }

        Close();
        return [.. segments];

        void Close()
        {
            if (segment.Length == 0 && !quotedInSegment)
            {
                throw new ConfigException(null, path, "path has an empty element; quote keys that contain dots, e.g. a.\"b.c\"");
            }

            segments.Add(segment.ToString());
            segment.Clear();
            quotedInSegment = false;
        }
    }

    /// <summary>Joins segments with dots, quoting any that would not read back as one segment.</summary>
    public static string Render(ReadOnlySpan<string> segments)
    {
        var text = new StringBuilder();
        foreach (var segment in segments)
        {
            if (text.Length > 0)
            {
                text.Append('.');
            }

            if (NeedsQuotes(segment))
            {
                text.Append('"').Append(segment.Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                text.Append(segment);
            }
        }

        return text.ToString();
    }

    private static bool NeedsQuotes(string segment)
    {
        if (segment.Length == 0)
        {
            return true;
        }

        foreach (var c in segment)
        {
            if (c == '.' || HoconParser.IsForbiddenInUnquoted(c))
            {
                return true;
            }
        }

        return false;
    }
}
