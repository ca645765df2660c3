namespace Lan.Actors.Hocon;

/// <summary>
/// A HOCON configuration, read with paths such as <c>lan.tcp.port</c>.
/// <para>
/// Substitutions are resolved lazily, the first time a value is read, against the whole tree as it is
/// then (this configuration merged over all its fallbacks), as Typesafe HoconConfig resolves after merging.
/// So <c>HoconConfig.Parse(user).WithFallback(HoconConfig.Reference)</c> lets <c>${x}</c> in the user's text refer
/// to a default and <c>a += x</c> append to one. Call <see cref="Resolve"/> to surface errors early.
/// </para>
/// </summary>
public sealed class HoconConfig
{
    private static readonly Lazy<HoconConfig> ReferenceConfig = new(ReferenceConf.Load);

    private readonly HoconObject _tree;
    private readonly Lazy<HoconObject> _resolved;
    private readonly string[] _prefix;
    private readonly Func<string, string?> _environment;

    private HoconConfig(HoconObject tree, string[] prefix, Func<string, string?> environment)
    {
        _tree = tree;
        _prefix = prefix;
        _environment = environment;
        // Stryker disable once Conditional : equivalent: resolving a tree without substitutions returns the same tree
        _resolved = tree.IsResolved
            ? new Lazy<HoconObject>(tree)
            : new Lazy<HoconObject>(() => SubstitutionResolver.Resolve(tree, environment), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>A configuration with no paths.</summary>
    public static HoconConfig Empty { get; } = new(HoconObject.Empty(new ConfigOrigin("<empty>", 0)), [], Environment.GetEnvironmentVariable);

    /// <summary>The library's embedded reference.conf: every setting with its default.</summary>
    public static HoconConfig Reference => ReferenceConfig.Value;

    /// <summary>The resolved tree. Reading it resolves substitutions and may throw <see cref="ConfigException"/>.</summary>
    public HoconObject Root => _resolved.Value;

    /// <summary>True when the configuration holds no paths.</summary>
    public bool IsEmpty => Root.Count == 0;

    /// <summary>Parses HOCON text; relative includes are looked up in the working directory.</summary>
    /// <param name="text">The HOCON (or JSON) text.</param>
    /// <param name="origin">Names the source in error messages; "&lt;string&gt;" when null.</param>
    /// <exception cref="ConfigException">The text is not valid HOCON; the message gives the line.</exception>
    public static HoconConfig Parse(string text, string? origin = null) => Parse(text, origin, Environment.GetEnvironmentVariable);

    /// <summary>Parses HOCON text, taking environment variables for substitutions from <paramref name="environment"/>.</summary>
    /// <param name="text">The HOCON (or JSON) text.</param>
    /// <param name="origin">Names the source in error messages; "&lt;string&gt;" when null.</param>
    /// <param name="environment">Returns the variable's value, or null when it is not set; lets tests avoid the process environment.</param>
    public static HoconConfig Parse(string text, string? origin, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(environment);
        var tree = HoconParser.ParseDocument(text, origin ?? "<string>", directory: null, includePrefix: [], new IncludeLoader());
        return new HoconConfig(tree, [], environment);
    }

    /// <summary>Parses a HOCON file; its includes are looked up relative to it.</summary>
    /// <param name="path">The file; error messages name it as given here.</param>
    /// <exception cref="ConfigException">The file is missing, unreadable or not valid HOCON.</exception>
    public static HoconConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new HoconConfig(new IncludeLoader().ParseFile(path), [], Environment.GetEnvironmentVariable);
    }

    /// <summary>
    /// This configuration, with <paramref name="fallback"/> supplying the paths it lacks. Objects merge
    /// key by key; substitutions on either side resolve against the merged result.
    /// </summary>
    public HoconConfig WithFallback(HoconConfig fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        if (ReferenceEquals(fallback, this) || fallback._tree.Count == 0)
        {
            return this;
        }

        return new HoconConfig(ValueMerger.MergeObjects(_tree, fallback._tree), _prefix, _environment);
    }

    /// <summary>Resolves every substitution now, so that errors show at start-up rather than at first use.</summary>
    /// <returns>This configuration, resolved.</returns>
    /// <exception cref="ConfigException">A substitution is undefined or part of a cycle.</exception>
    public HoconConfig Resolve()
    {
        _ = Root;
        return this;
    }

    /// <summary>True when <paramref name="path"/> exists and is not null.</summary>
    public bool HasPath(string path) => Find(path) is not null;

    /// <summary>The value at <paramref name="path"/>, or null when it is absent or null.</summary>
    public HoconValue? GetValue(string path) => Find(path);

    /// <summary>The string at <paramref name="path"/>; numbers and booleans are given as written.</summary>
    /// <exception cref="ConfigException">The path is absent and no default was given, or the value is an object or list.</exception>
    public string GetString(string path, string? @default = null) =>
        ReadString(path, @default);

    /// <summary>The 32-bit integer at <paramref name="path"/>, or <paramref name="default"/> when absent.</summary>
    public int GetInt(string path, int? @default = null) =>
        Read(path, @default, "a whole number such as 42 (at most 2147483647)", scalar => ScalarConversions.ToLong(scalar) is long n && n is >= int.MinValue and <= int.MaxValue ? (int)n : null)!.Value;

    /// <summary>The 64-bit integer at <paramref name="path"/>, or <paramref name="default"/> when absent.</summary>
    public long GetLong(string path, long? @default = null) =>
        Read(path, @default, "a whole number such as 42", ScalarConversions.ToLong)!.Value;

    /// <summary>The number at <paramref name="path"/>, or <paramref name="default"/> when absent.</summary>
    public double GetDouble(string path, double? @default = null) =>
        Read(path, @default, "a number such as 1.5", ScalarConversions.ToDouble)!.Value;

    /// <summary>The boolean at <paramref name="path"/>: true/false, on/off or yes/no.</summary>
    public bool GetBoolean(string path, bool? @default = null) =>
        Read(path, @default, "a boolean (true/false, on/off, yes/no)", ScalarConversions.ToBoolean)!.Value;

    /// <summary>The duration at <paramref name="path"/> such as <c>5s</c> or <c>250ms</c>; a bare number is milliseconds.</summary>
    public TimeSpan GetTimeSpan(string path, TimeSpan? @default = null) =>
        Read(path, @default, "a duration such as 5s or 250ms", scalar => DurationFormat.TryParse(scalar.Text, out var d) ? d : null)!.Value;

    /// <summary>The size in bytes at <paramref name="path"/> such as <c>1MiB</c> or <c>64kB</c>; a bare number is bytes.</summary>
    public long GetByteSize(string path, long? @default = null) =>
        Read(path, @default, "a size such as 1MiB", scalar => ByteSizeFormat.TryParse(scalar.Text, out var bytes) ? bytes : null)!.Value;

    /// <summary>The list of strings at <paramref name="path"/>; numbers and booleans are given as written.</summary>
    /// <exception cref="ConfigException">The path is absent, or is not a list of plain values.</exception>
    public IReadOnlyList<string> GetStringList(string path)
    {
        var value = Find(path) ?? throw Missing(path);
        if (value is not HoconArray array)
        {
            throw WrongType(path, value, "a list such as [\"a\", \"b\"]");
        }

        var strings = new string[array.Items.Count];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = array.Items[i] is HoconScalar { Kind: not HoconScalarKind.Null } scalar
                ? scalar.Text
                : throw WrongType(path, array.Items[i], "a list of strings");
        }

        return strings;
    }

    /// <summary>The object at <paramref name="path"/> as a configuration; <see cref="Empty"/> when absent.
    /// Error messages from the result still name full paths.</summary>
    /// <exception cref="ConfigException">The value at the path is not an object.</exception>
    public HoconConfig GetConfig(string path)
    {
        var value = Find(path);
        return value switch
        {
            null => new HoconConfig(HoconObject.Empty(new ConfigOrigin("<empty>", 0)), Absolute(path), _environment),
            HoconObject obj => new HoconConfig(obj, Absolute(path), _environment),
            _ => throw WrongType(path, value, "an object such as { key = value }"),
        };
    }

    /// <summary>The resolved tree as indented JSON.</summary>
    public string ToJson() => JsonRendering.ToJson(Root, indented: true);

    /// <inheritdoc/>
    public override string ToString() => JsonRendering.ToJson(Root, indented: false);

    private HoconValue? Find(string path)
    {
        HoconValue? value = Root;
        foreach (var key in HoconPath.Parse(path))
        {
            if (value is not HoconObject obj || !obj.TryGetValue(key, out value))
            {
                return null;
            }
        }

        return value is HoconScalar { Kind: HoconScalarKind.Null } ? null : value;
    }

    private string ReadString(string path, string? @default)
    {
        var value = Find(path);
        if (value is null)
        {
            return @default ?? throw Missing(path);
        }

        return value is HoconScalar scalar ? scalar.Text : throw WrongType(path, value, "a string");
    }

    private T? Read<T>(string path, T? @default, string expected, Func<HoconScalar, T?> convert)
        where T : struct
    {
        var value = Find(path);
        if (value is null)
        {
            return @default ?? throw Missing(path);
        }

        return value is HoconScalar scalar && convert(scalar) is { } result ? result : throw WrongType(path, value, expected);
    }

    private string[] Absolute(string path) => [.. _prefix, .. HoconPath.Parse(path)];

    private string FullPath(string path) => _prefix.Length == 0 ? path : HoconPath.Render(_prefix) + "." + path;

    private ConfigException Missing(string path) =>
        new(null, FullPath(path), "no setting at this path; add it to your configuration (reference.conf lists every setting)");

    private ConfigException WrongType(string path, HoconValue found, string expected) =>
        new(found.Origin, FullPath(path), $"expected {expected}, got {found.Describe()}");
}
