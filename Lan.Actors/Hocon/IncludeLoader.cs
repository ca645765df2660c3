namespace Lan.Actors.Hocon;

/// <summary>Finds and parses files named by <c>include</c>, relative to the including file, and refuses include cycles.</summary>
internal sealed class IncludeLoader
{
    private static readonly string[] ImpliedExtensions = [".conf", ".json"];

    // Each included file starts a parser of its own, so nesting through includes is limited here.
    private const int MaxIncludeDepth = 50;

    private readonly List<(string FullPath, string Name)> _open = [];

    /// <summary>Parses the top-level file given to <see cref="HoconConfig.Load"/>.</summary>
    public HoconObject ParseFile(string path) =>
        File.Exists(path)
            ? ParseAt(path, [], origin: null)
            : throw new ConfigException(new ConfigOrigin(path, 0), null, "file not found; check the path (it is relative to the working directory)");

    /// <summary>The included object, or null when an optional include names no file.</summary>
    public HoconObject? Include(string name, bool required, string? directory, string[] prefix, ConfigOrigin origin)
    {
        var candidate = Path.IsPathRooted(name) || string.IsNullOrEmpty(directory) ? name : Path.Combine(directory, name);
        var found = Locate(candidate);
        if (found is not null)
        {
            return ParseAt(found, prefix, origin);
        }

        return required
            ? throw new ConfigException(origin, null, $"required include \"{name}\" not found at {candidate}; create it, fix the name, or drop required(...) to make it optional")
            : null;
    }

    // As the spec allows, a name without extension means name.conf (or name.json).
    private static string? Locate(string candidate)
    {
        if (File.Exists(candidate))
        {
            return candidate;
        }

        // "app.v2" has an "extension" only by accident: like Typesafe, also try app.v2.conf and app.v2.json.
        if (ImpliedExtensions.Contains(Path.GetExtension(candidate), StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        return ImpliedExtensions.Select(extension => candidate + extension).FirstOrDefault(File.Exists);
    }

    private HoconObject ParseAt(string path, string[] prefix, ConfigOrigin? origin)
    {
        var fullPath = Path.GetFullPath(path);
        if (_open.Exists(open => open.FullPath == fullPath))
        {
            var chain = string.Join(" -> ", _open.Select(open => open.Name).Append(path));
            throw new ConfigException(origin, null, $"include cycle: {chain}; remove one of these includes");
        }

        if (_open.Count > MaxIncludeDepth)
        {
            throw new ConfigException(origin, null, $"includes are nested more than {MaxIncludeDepth} files deep (from {_open[0].Name}); flatten them");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(origin ?? new ConfigOrigin(path, 0), null, $"cannot read {path}: {e.Message}", e);
        }

        _open.Add((fullPath, path));
        try
        {
            return HoconParser.ParseDocument(text, path, Path.GetDirectoryName(path), prefix, this);
        }
        finally
        {
            _open.RemoveAt(_open.Count - 1);
        }
    }
}
