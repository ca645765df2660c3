using System.Globalization;

namespace Lan.Actors.Hocon;

/// <summary>Splits <c>1.5 s</c> or <c>10MiB</c> into its number and its unit.</summary>
internal static class UnitNumber
{
    public static bool TrySplit(string text, out double number, out string unit)
    {
        var span = text.AsSpan().Trim();
        var end = 0;
        while (end < span.Length && (char.IsAsciiDigit(span[end]) || span[end] is '.' or '-' or '+'))
        {
            end++;
        }

        unit = span[end..].Trim().ToString();
        return double.TryParse(span[..end], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number);
    }
}
