using System.Text.Json;

namespace Lan.Actors.Hocon;

/// <summary>A string, number, boolean or null; <see cref="Text"/> is its text as written (numbers keep their digits).</summary>
public sealed class HoconScalar : HoconValue
{
    internal HoconScalar(ConfigOrigin origin, HoconScalarKind kind, string text)
        : base(origin)
    {
        Kind = kind;
        Text = text;
    }

    /// <summary>The JSON type of the value.</summary>
    public HoconScalarKind Kind { get; }

    /// <summary>The value as text: the string itself, the number's digits, <c>true</c>/<c>false</c>, or <c>null</c>.</summary>
    public string Text { get; }

    internal override bool IsResolved => true;

    internal static HoconScalar String(ConfigOrigin origin, string text) => new(origin, HoconScalarKind.String, text);

    internal override string Describe() => Kind == HoconScalarKind.String
        ? JsonSerializer.Serialize(Text, HoconJsonContext.Default.String)
        : Text;

    /// <inheritdoc/>
    public override string ToString() => Text;
}
