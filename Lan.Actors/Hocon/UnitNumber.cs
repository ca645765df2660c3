using System.Globalization;

namespace Lan.Actors.Hocon;

/// <summary>Splits <c>1.5 s</c> or <c>10MiB</c> into its number and its unit.</summary>
internal static class UnitNumber
{
    public static bool TrySplit(string text, out double number, out string unit)
    {
        var digits = Split(text, out unit);
        return double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>As <see cref="TrySplit(string, out double, out string)"/>, keeping every digit (sizes past 2^53 bytes stay exact).</summary>
    public static bool TrySplit(string text, out decimal number, out string unit)
    {
        var digits = Split(text, out unit);
        return decimal.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    private static ReadOnlySpan<char> Split(string text, out string unit)
    {
        var span = text.AsSpan().Trim();
        // The unit is the trailing letters. The scan stops at the first digit, so an exponent stays with the number
        // (1e3s, 1.5E-3 s). µ counts as a letter so that "5µs" splits into 5 and the unit µs, which the duration table lists.
        var end = span.Length;
        while (end > 0 && (char.IsAsciiLetter(span[end - 1]) || span[end - 1] == 'µ'))
        {
            end--;
        }

        unit = span[end..].Trim().ToString();
        return span[..end].Trim();
    }
}
