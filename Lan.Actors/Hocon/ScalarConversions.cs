using System.Globalization;

namespace Lan.Actors.Hocon;

/// <summary>The automatic conversions of the spec: a quoted "42" is a number, "on" is a boolean.</summary>
internal static class ScalarConversions
{
    public static long? ToLong(HoconScalar scalar)
    {
        // Stryker disable once Block : equivalent: "true" and "null" parse as no number below either
        if (scalar.Kind is HoconScalarKind.Boolean or HoconScalarKind.Null)
        {
            return null;
        }

        // Stryker disable once Block : equivalent: a whole number skipped here is read to the same value by the decimal path
        if (long.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return whole;
        }

        // 1e3 is a whole number written with an exponent. Decimal keeps every digit, so a value just past the
        // range of long, or a fraction too small for a double to see, is refused instead of silently rounded.
        return decimal.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact)
            && !(exact == 0 && HasNonZeroMantissa(scalar.Text)) // 1e-30 rounds to 0 in decimal: a fraction, not zero
            && exact == decimal.Truncate(exact)
            && exact is >= long.MinValue and <= long.MaxValue
                ? (long)exact
                : null;
    }

    private static bool HasNonZeroMantissa(string text)
    {
        var exponent = text.AsSpan().IndexOfAny('e', 'E');
        // Stryker disable once Equality : equivalent for <=: a number never starts with its exponent, so the index is never 0
        var mantissa = exponent < 0 ? text.AsSpan() : text.AsSpan(0, exponent);
        return mantissa.IndexOfAnyInRange('1', '9') >= 0;
    }

    // Stryker disable once Logical : equivalent: "true", "false" and "null" are no double, whatever their kind
    public static double? ToDouble(HoconScalar scalar) =>
        scalar.Kind is not (HoconScalarKind.Boolean or HoconScalarKind.Null)
        && double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
        && double.IsFinite(number)
            ? number
            : null;

    public static bool? ToBoolean(HoconScalar scalar) => scalar.Text switch
    {
        "true" or "on" or "yes" => true,
        "false" or "off" or "no" => false,
        _ => null,
    };
}
