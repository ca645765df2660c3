namespace Lan.Actors.Hocon;

/// <summary>
/// Replaces every substitution in a merged tree by its value. Lookups "look forward" to the final
/// value of a path; a substitution of the field being defined (or a child of it) "looks backward"
/// to the value that field had before this definition, which is how <c>a = ${a} [x]</c> and
/// <c>+=</c> work. A lookup that comes back to a path already being resolved is a cycle.
/// </summary>
internal sealed class SubstitutionResolver
{
    private readonly HoconObject _root;
    private readonly Func<string, string?> _environment;
    private readonly Dictionary<string, HoconValue?> _resolvedFields = new(StringComparer.Ordinal);
    private readonly List<string> _inProgress = [];

    // Each link of a chain a = ${b}, b = ${c}, ... recurses a few frames deep; past this many the chain is
    // refused with a ConfigException long before the stack could overflow.
    private const int MaxChain = 256;

    // "s2 = ${s1}${s1}", "s3 = ${s2}${s2}", ... doubles a value at every level, so some thirty lines would
    // exhaust memory. No real setting comes near these sizes; past them the file is refused with file:line.
    internal const int MaxResolvedStringLength = 1 << 20;
    internal const int MaxResolvedListLength = 1 << 20;

    private SubstitutionResolver(HoconObject root, Func<string, string?> environment)
    {
        _root = root;
        _environment = environment;
    }

    /// <summary>The tree with every substitution replaced; optional substitutions that find nothing remove their field.</summary>
    public static HoconObject Resolve(HoconObject root, Func<string, string?> environment) =>
        root.IsResolved ? root : new SubstitutionResolver(root, environment).ResolveAttachedObject(root, []);

    // An object that sits at its own path in the root: its fields are memoised so lookups and the walk share work.
    private HoconObject ResolveAttachedObject(HoconObject raw, string[] path)
    {
        if (raw.IsResolved)
        {
            return raw;
        }

        var builder = new ObjectBuilder(raw.Origin);
        foreach (var key in raw.Keys)
        {
            if (ResolveField([.. path, key], raw[key]) is { } value)
            {
                builder.Set(key, value);
            }
        }

        return builder.Build();
    }

    private HoconValue? ResolveField(string[] path, HoconValue raw)
    {
        if (raw.IsResolved)
        {
            return raw;
        }

        var key = string.Join('\u0001', path);
        if (_resolvedFields.TryGetValue(key, out var known))
        {
            return known;
        }

        var rendered = HoconPath.Render(path);
        if (_inProgress.Contains(rendered))
        {
            var chain = string.Join(" -> ", _inProgress.SkipWhile(step => step != rendered).Append(rendered));
            throw new ConfigException(raw.Origin, rendered, $"substitution cycle: {chain}; give one of these settings a literal value");
        }

        if (_inProgress.Count >= MaxChain)
        {
            throw new ConfigException(raw.Origin, rendered,
                $"substitutions are chained more than {MaxChain} deep (from {_inProgress[0]}); give some of these settings literal values");
        }

        _inProgress.Add(rendered);
        var value = raw is HoconObject rawObject
            ? ResolveAttachedObject(rawObject, path)
            : ResolveDetached(raw, path, below: null);
        _inProgress.RemoveAt(_inProgress.Count - 1);
        _resolvedFields[key] = value;
        return value;
    }

    /// <summary>
    /// Resolves a value in the context of field <paramref name="field"/> (null inside lists, where no
    /// self-reference is possible); <paramref name="below"/> is that field's value before this definition.
    /// Returns null when an optional substitution found nothing.
    /// </summary>
    private HoconValue? ResolveDetached(HoconValue raw, string[]? field, HoconValue? below)
    {
        switch (raw)
        {
            case { IsResolved: true }:
                return raw;
            case HoconObject rawObject:
                var builder = new ObjectBuilder(raw.Origin);
                foreach (var key in rawObject.Keys)
                {
                    var belowField = below is HoconObject belowObject && belowObject.TryGetValue(key, out var earlier) ? earlier : null;
                    if (ResolveDetached(rawObject[key], field is null ? null : [.. field, key], belowField) is { } value)
                    {
                        builder.Set(key, value);
                    }
                }

                return builder.Build();
            case HoconArray rawArray:
                var items = new List<HoconValue>(rawArray.Items.Count);
                foreach (var item in rawArray.Items)
                {
                    if (ResolveDetached(item, field: null, below: null) is { } value)
                    {
                        items.Add(value);
                    }
                }

                return new HoconArray(raw.Origin, items);
            case Substitution substitution:
                return ResolveSubstitution(substitution, field, below);
            case Concatenation concatenation:
                return ResolveConcatenation(concatenation, field, below);
            case MergeStack stack:
                var merged = below;
                foreach (var layer in stack.Layers)
                {
                    if (ResolveDetached(layer, field, merged) is { } value)
                    {
                        merged = merged is null ? value : ValueMerger.MergeOver(value, merged);
                    }
                }

                return merged;
            default:
                throw new InvalidOperationException($"unexpected node {raw.GetType().Name} while resolving");
        }
    }

    private HoconValue? ResolveSubstitution(Substitution substitution, string[]? field, HoconValue? below)
    {
        var path = substitution.Path;
        HoconValue? value;
        if (field is not null && path.AsSpan().StartsWith(field))
        {
            value = Descend(below, path.AsSpan(field.Length));
        }
        else
        {
            value = Lookup(path);
            if (value is null && substitution.PrefixLength > 0)
            {
                value = Lookup(substitution.Unprefixed);
            }
        }

        if (value is not null)
        {
            return value;
        }

        var name = HoconPath.Render(substitution.Unprefixed);
        if (_environment(name) is { } environmentValue)
        {
            return HoconScalar.String(new ConfigOrigin($"environment variable {name}", 0), environmentValue);
        }

        return substitution.IsOptional
            ? null
            : throw new ConfigException(
                substitution.Origin,
                field is null ? null : HoconPath.Render(field),
                $"${{{name}}} is not defined: no setting at {name} and no environment variable {name}; define it, or write ${{?{name}}} to make it optional");
    }

    private HoconValue? ResolveConcatenation(Concatenation concatenation, string[]? field, HoconValue? below)
    {
        var values = new List<HoconValue>(concatenation.Parts.Count);
        foreach (var part in concatenation.Parts)
        {
            if (part is ConcatenationSpace)
            {
                values.Add(part);
            }
            else if (ResolveDetached(part, field, below) is { } value)
            {
                values.Add(value);
            }
        }

        // "a = ${?x}${?y}" with neither defined creates no field at all.
        if (values.TrueForAll(value => value is ConcatenationSpace))
        {
            return null;
        }

        var path = field is null ? "" : HoconPath.Render(field);
        if (values.Exists(value => value is HoconObject or HoconArray))
        {
            var parts = values.FindAll(value => value is not ConcatenationSpace);
            var items = parts.Sum(part => part is HoconArray array ? (long)array.Items.Count : 0);
            if (items > MaxResolvedListLength)
            {
                throw TooLarge(concatenation.Origin, path, $"a list of {items:N0} items", $"{MaxResolvedListLength:N0} items");
            }

            return ValueConcatenation.Combine(concatenation.Origin, parts, path);
        }

        var length = values.Sum(value => (long)(value is ConcatenationSpace space ? space.Text : ((HoconScalar)value).Text).Length);
        if (length > MaxResolvedStringLength)
        {
            throw TooLarge(concatenation.Origin, path, $"a string of {length:N0} characters", $"{MaxResolvedStringLength:N0} characters");
        }

        var text = string.Concat(values.Select(value => value is ConcatenationSpace space ? space.Text : ((HoconScalar)value).Text));
        return HoconScalar.String(concatenation.Origin, text);
    }

    private static ConfigException TooLarge(ConfigOrigin origin, string path, string what, string limit) =>
        new(origin, path.Length == 0 ? null : path,
            $"this concatenation makes {what}, more than the {limit} a resolved value may hold; substitutions that repeat each other double a value at every level");

    /// <summary>The final value at <paramref name="path"/>, resolving only what the path goes through.</summary>
    private HoconValue? Lookup(string[] path)
    {
        HoconValue node = _root;
        for (var i = 0; i < path.Length; i++)
        {
            if (node is HoconObject rawObject)
            {
                if (!rawObject.TryGetValue(path[i], out var child))
                {
                    return null;
                }

                node = child;
                continue;
            }

            // A substitution or a delayed merge on the way: its whole value must be known before going inside.
            return Descend(ResolveField(path[..i], node), path.AsSpan(i));
        }

        return ResolveField(path, node);
    }

    private static HoconValue? Descend(HoconValue? value, ReadOnlySpan<string> path)
    {
        foreach (var key in path)
        {
            if (value is not HoconObject valueObject || !valueObject.TryGetValue(key, out value))
            {
                return null;
            }
        }

        return value;
    }
}
