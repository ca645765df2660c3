namespace Lan.Actors.Hocon;

/// <summary>A list of values.</summary>
public sealed class HoconArray : HoconValue
{
    private readonly bool _isResolved;

    internal HoconArray(ConfigOrigin origin, IReadOnlyList<HoconValue> items)
        : base(origin)
    {
        Items = items;
        // Stryker disable once Boolean : equivalent: a list wrongly thought unresolved is resolved again and comes out the same
        _isResolved = true;
        foreach (var item in items)
        {
            _isResolved &= item.IsResolved;
        }
    }

    /// <summary>The elements in order.</summary>
    public IReadOnlyList<HoconValue> Items { get; }

    internal override bool IsResolved => _isResolved;

    internal override string Describe() => "a list";
}
