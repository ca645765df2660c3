using System.Diagnostics.CodeAnalysis;

namespace Lan.Actors.Hocon;

/// <summary>An object: fields in the order they were first defined.</summary>
public sealed class HoconObject : HoconValue
{
    private readonly Dictionary<string, HoconValue> _fields;
    private readonly string[] _keys;
    private readonly bool _isResolved;

    /// <summary>Builds an object from fields whose keys are unique (the builder merges duplicates first).</summary>
    internal HoconObject(ConfigOrigin origin, string[] keys, Dictionary<string, HoconValue> fields)
        : base(origin)
    {
        _keys = keys;
        _fields = fields;
        // Stryker disable once Boolean : equivalent: an object wrongly thought unresolved is resolved again and comes out the same
        _isResolved = true;
        foreach (var value in fields.Values)
        {
            _isResolved &= value.IsResolved;
        }
    }

    internal static HoconObject Empty(ConfigOrigin origin) => new(origin, [], new Dictionary<string, HoconValue>(StringComparer.Ordinal));

    /// <summary>The keys in definition order.</summary>
    public IReadOnlyList<string> Keys => _keys;

    /// <summary>The number of fields.</summary>
    public int Count => _keys.Length;

    /// <summary>The value of field <paramref name="key"/> (one key, not a dotted path).</summary>
    /// <exception cref="KeyNotFoundException">The object has no such field.</exception>
    public HoconValue this[string key] => _fields[key];

    /// <summary>Looks up field <paramref name="key"/> (one key, not a dotted path).</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out HoconValue value) => _fields.TryGetValue(key, out value);

    internal override bool IsResolved => _isResolved;

    internal override string Describe() => "an object";
}
