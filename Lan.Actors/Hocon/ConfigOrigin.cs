namespace Lan.Actors.Hocon;

/// <summary>Where a value was written: the file (or "&lt;string&gt;") and the 1-based line.</summary>
/// <param name="Name">The file name as given to <see cref="HoconConfig.Load"/>, an included file, or a description.</param>
/// <param name="Line">The 1-based line of the value's first character; 0 when the line is unknown.</param>
public readonly record struct ConfigOrigin(string Name, int Line)
{
    /// <summary>The origin as <c>name:line</c>, the prefix of every error message.</summary>
    public override string ToString() => Line > 0 ? $"{Name}:{Line}" : Name;
}
