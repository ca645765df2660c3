namespace Lan.Actors.Hocon;

/// <summary>Sizes as Typesafe HoconConfig writes them: <c>B</c>, powers of ten (<c>kB MB GB TB PB EB</c>) and powers of two (<c>K Ki KiB M MiB … E EiB</c>).</summary>
internal static class ByteSizeFormat
{
    private static readonly Dictionary<string, long> BytesPerUnit = Build();

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        if (!UnitNumber.TrySplit(text, out decimal number, out var unit) || !BytesPerUnit.TryGetValue(unit, out var multiplier))
        {
            return false;
        }

        // Decimal keeps every digit; a fraction of a byte is truncated, as Typesafe HoconConfig does.
        decimal exact;
        try
        {
            exact = decimal.Truncate(number * multiplier);
        }
        catch (OverflowException)
        {
            return false;
        }

        if (exact > long.MaxValue || exact < long.MinValue)
        {
            return false;
        }

        bytes = (long)exact;
        return true;
    }

    private static Dictionary<string, long> Build()
    {
        var table = new Dictionary<string, long>(StringComparer.Ordinal);
        Add(1, "", "B", "b", "byte", "bytes");
        AddPower("k", "K", "kilo", "kibi", 1);
        AddPower("M", "M", "mega", "mebi", 2);
        AddPower("G", "G", "giga", "gibi", 3);
        AddPower("T", "T", "tera", "tebi", 4);
        AddPower("P", "P", "peta", "pebi", 5);
        AddPower("E", "E", "exa", "exbi", 6);
        return table;

        void AddPower(string decimalLetter, string binaryLetter, string decimalWord, string binaryWord, int power)
        {
            var thousand = (long)Math.Pow(1000, power);
            var kibi = 1L << (10 * power);
            Add(thousand, decimalLetter + "B", decimalWord + "byte", decimalWord + "bytes");
            Add(kibi, binaryLetter, binaryLetter.ToLowerInvariant(), binaryLetter + "i", binaryLetter + "iB", binaryWord + "byte", binaryWord + "bytes");
        }

        void Add(long size, params string[] names)
        {
            foreach (var name in names)
            {
                table[name] = size;
            }
        }
    }
}
