namespace Lan.Actors.Hocon;

/// <summary>Collects fields in definition order; a repeated key merges with or replaces the earlier value.</summary>
internal sealed class ObjectBuilder(ConfigOrigin origin)
{
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, HoconValue> _fields = new(StringComparer.Ordinal);

    // Objects still being merged into: a.k1 = 1, a.k2 = 2, ... each merge into the same open builder instead of
    // copying the whole of "a" once per line (which made many dotted keys under one parent quadratic).
    private Dictionary<string, ObjectBuilder>? _open;

    public static ObjectBuilder From(HoconObject source)
    {
        var builder = new ObjectBuilder(source.Origin);
        foreach (var key in source.Keys)
        {
            builder._keys.Add(key);
            builder._fields[key] = source[key];
        }

        return builder;
    }

    public void Set(string key, HoconValue value)
    {
        if (_open is not null && _open.TryGetValue(key, out var open))
        {
            if (value is HoconObject more)
            {
                open.MergeIn(more);
                return;
            }

            _fields[key] = open.Build();
            _open.Remove(key);
        }

        if (_fields.TryGetValue(key, out var earlier))
        {
            // Stryker disable once Equality : equivalent: objects that skip the open builder are merged by ValueMerger.MergeOver to the same result
            if (value is HoconObject { Count: > 0 } newer && earlier is HoconObject older && older.Count > 0)
            {
                var merged = From(older);
                merged.MergeIn(newer);
                (_open ??= new Dictionary<string, ObjectBuilder>(StringComparer.Ordinal))[key] = merged;
                return;
            }

            _fields[key] = ValueMerger.MergeOver(value, earlier);
        }
        else
        {
            _keys.Add(key);
            _fields[key] = value;
        }
    }

    /// <summary>Sets <c>a.b.c = value</c> as <c>a { b { c = value } }</c>, so it merges like the nested form.</summary>
    public void SetPath(string[] path, HoconValue value)
    {
        for (var i = path.Length - 1; i > 0; i--)
        {
            var wrapper = new ObjectBuilder(value.Origin);
            wrapper.Set(path[i], value);
            value = wrapper.Build();
        }

        Set(path[0], value);
    }

    /// <summary>Pastes every field of <paramref name="included"/> here, as an include does.</summary>
    public void MergeIn(HoconObject included)
    {
        foreach (var key in included.Keys)
        {
            Set(key, included[key]);
        }
    }

    /// <summary>The finished object; the builder must not be used afterwards (its dictionary is handed over, not copied).</summary>
    public HoconObject Build()
    {
        if (_open is not null)
        {
            foreach (var (key, open) in _open)
            {
                _fields[key] = open.Build();
            }

            _open = null;
        }

        return new(origin, [.. _keys], _fields);
    }
}
