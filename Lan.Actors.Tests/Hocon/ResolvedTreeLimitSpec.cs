using System.Globalization;
using System.Text;
using Lan.Actors.Hocon;

namespace Lan.Actors.Tests.Hocon;

/// <summary>
/// The limits on a resolved tree when it is printed (docs/HOCON.md: deeper than 900 levels, more than 1,000,000 values),
/// pinned at the limit and one past it. Past it the reader owes a <see cref="ConfigException"/>, never the JSON writer's own
/// InvalidOperationException.
/// </summary>
public sealed class ResolvedTreeLimitSpec
{
    private const int Graft = 190;

    /// <summary>
    /// A tree whose deepest value sits at <paramref name="depth"/> (the root object is level 0): parsing refuses keys of more
    /// than 200 segments, so the depth is built by grafting four 190-level paths into each other with substitutions.
    /// </summary>
    private static HoconConfig TreeWithLeafAt(int depth, string leaf)
    {
        var tail = depth - 1 - (4 * Graft);
        var text = new StringBuilder($"g0.{Segments("y", tail)} = {leaf}\n");
        for (var i = 1; i <= 4; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"g{i}.{Segments("x", Graft)} = ${{g{i - 1}}}\n");
        }

        return HoconText.Parse(text.ToString(), "deep.conf");
    }

    private static string Segments(string name, int count) => string.Join('.', Enumerable.Repeat(name, count));

    [Theory]
    [InlineData("1")]
    [InlineData("{}")]
    [InlineData("[]")]
    public void AValueAtLevelNineHundred_IsPrinted(string leaf)
    {
        var config = TreeWithLeafAt(900, leaf);

        Assert.EndsWith(leaf + new string('}', 900), config.ToString(), StringComparison.Ordinal);
        Assert.Contains(leaf, config.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(901, "1")]
    [InlineData(901, "{}")]
    [InlineData(900, "[1]")]
    [InlineData(900, "{a = 1}")]
    public void AValueBelowLevelNineHundred_IsAConfigException_WhenPrinted(int depth, string leaf)
    {
        var config = TreeWithLeafAt(depth, leaf);

        var compact = HoconText.Error(() => config.ToString());
        var indented = HoconText.Error(() => config.ToJson());

        Assert.StartsWith("deep.conf:", compact.Message, StringComparison.Ordinal);
        Assert.Contains("the resolved configuration nests more than 900 levels deep", compact.Message, StringComparison.Ordinal);
        Assert.Equal(compact.Message, indented.Message);
    }

    [Fact]
    public void ADeepTree_StillResolves_AndReadsByPath()
    {
        var config = TreeWithLeafAt(901, "7");

        Assert.Equal(7, config.GetInt($"g4.{Segments("x", 3 * Graft)}.{Segments("x", Graft)}.{Segments("y", 901 - 1 - (4 * Graft))}"));
    }

    /// <summary>A tree of exactly <paramref name="values"/> values, the root object included, made by copying one list.</summary>
    private static HoconConfig TreeOfValues(int values)
    {
        // The root (1), list a of 999 numbers (1000), list b of 998 copies of a (1 + 998 × 1000): 999,002 values.
        var text = new StringBuilder("a = [").AppendJoin(',', Enumerable.Repeat('1', 999)).Append("]\nb = [");
        text.AppendJoin(',', Enumerable.Repeat("${a}", 998)).Append("]\n");
        for (var i = 0; i < values - 999_002; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"c{i} = 1\n");
        }

        return HoconText.Parse(text.ToString());
    }

    [Fact]
    public void AMillionValues_ArePrinted_AndOneMoreIsAConfigException()
    {
        Assert.StartsWith("{\"a\":[1,1,", TreeOfValues(1_000_000).ToString(), StringComparison.Ordinal);

        var error = HoconText.Error(() => TreeOfValues(1_000_001).ToString());
        Assert.Contains("the resolved configuration has more than 1,000,000 values", error.Message, StringComparison.Ordinal);
    }
}
