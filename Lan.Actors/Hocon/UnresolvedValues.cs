namespace Lan.Actors.Hocon;

// The node kinds that exist only between parsing and resolution; HoconConfig.Root never contains them.

/// <summary><c>${path}</c> or <c>${?path}</c>. <see cref="Path"/> is absolute; the first
/// <see cref="PrefixLength"/> segments were added because the file was included inside an object.</summary>
internal sealed class Substitution(ConfigOrigin origin, string[] path, bool optional, int prefixLength) : HoconValue(origin)
{
    public string[] Path { get; } = path;

    public bool IsOptional { get; } = optional;

    public int PrefixLength { get; } = prefixLength;

    /// <summary>The path as written in its own file: the second place the spec says to look.</summary>
    public string[] Unprefixed => Path[PrefixLength..];

    internal override bool IsResolved => false;

    internal override string Describe() => $"${{{(IsOptional ? "?" : "")}{HoconPath.Render(Unprefixed)}}}";
}

/// <summary>Spaces between two parts of a value concatenation; kept only if the result is a string.</summary>
internal sealed class ConcatenationSpace(ConfigOrigin origin, string text) : HoconValue(origin)
{
    public string Text { get; } = text;

    internal override bool IsResolved => false;

    internal override string Describe() => "whitespace";
}

/// <summary>A value concatenation that holds at least one substitution, e.g. <c>${dir}/logs</c> or <c>${list} [4]</c>.</summary>
internal sealed class Concatenation(ConfigOrigin origin, IReadOnlyList<HoconValue> parts) : HoconValue(origin)
{
    public IReadOnlyList<HoconValue> Parts { get; } = parts;

    internal override bool IsResolved => false;

    internal override string Describe() => "a concatenation";
}

/// <summary>
/// Successive definitions of one path whose merge must wait for resolution: a later definition
/// may refer to the earlier one (<c>a = ${a} [x]</c>) or a substitution may turn out to be an object
/// that merges with its neighbours. <see cref="Layers"/> runs from the earliest (lowest priority) up.
/// </summary>
internal sealed class MergeStack(ConfigOrigin origin, IReadOnlyList<HoconValue> layers) : HoconValue(origin)
{
    public IReadOnlyList<HoconValue> Layers { get; } = layers;

    internal override bool IsResolved => false;

    internal override string Describe() => "a merge of several definitions";
}
