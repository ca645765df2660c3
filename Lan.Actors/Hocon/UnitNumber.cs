using System.Globalization;

namespace Lan.Actors.Hocon;

/// <summary>Splits <c>1.5 s</c> or <c>10MiB</c> into its number and its unit.</summary>
internal static class UnitNumber
{
    public static bool TrySplit(string text, out double number, out string unit)
    {
        var span = text.AsSpan().Trim();
        // The unit is the trailing letters; an 'e' or 'E' followed by a digit or sign belongs to the number (1e3s, 1.5E-3 s).
        var end = span.Length;
        while (end > 0 && char.IsAsciiLetter(span[end - 1]))
        {
            end--;
        }

        while (end < span.Length && span[end] is 'e' or 'E' && end + 1 < span.Length && (char.IsAsciiDigit(span[end + 1]) || span[end + 1] is '-' or '+'))
        {
            end++;
            while (end < span.Length && (char.IsAsciiDigit(span[end]) || span[end] is '-' or '+'))
            {
                end++;
            }
        }

        unit = span[end..].Trim().ToString();
        return double.TryParse(span[..end].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }
}
