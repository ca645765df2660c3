namespace Lan.Actors.Hocon;

/// <summary>
/// A node of a HOCON tree: <see cref="HoconObject"/>, <see cref="HoconArray"/> or <see cref="HoconScalar"/>.
/// Trees read from <see cref="HoconConfig.Root"/> are always resolved (no substitutions left).
/// </summary>
public abstract class HoconValue
{
    // Only this assembly defines node kinds: the resolver must know every one of them.
    private protected HoconValue(ConfigOrigin origin) => Origin = origin;

    /// <summary>Where the value was written.</summary>
    public ConfigOrigin Origin { get; }

    /// <summary>False while the value still holds substitutions, concatenations or delayed merges.</summary>
    internal abstract bool IsResolved { get; }

    /// <summary>How an error message shows the value, e.g. <c>"huge"</c> or <c>an object</c>.</summary>
    internal abstract string Describe();
}
