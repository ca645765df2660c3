namespace Lan.Actors.Hocon;

/// <summary>The JSON type of a <see cref="HoconScalar"/>.</summary>
public enum HoconScalarKind
{
    /// <summary>A quoted, unquoted, multi-line or concatenated string.</summary>
    String,

    /// <summary>A number, kept as written so no precision is lost.</summary>
    Number,

    /// <summary>An unquoted <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>An unquoted <c>null</c>.</summary>
    Null,
}
