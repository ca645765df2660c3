using System.Globalization;
using System.Text;
using Lan.Actors.Hocon;

namespace Lan.Actors.Tests.Hocon;

/// <summary>Substitutions that double a value at every level are refused with file:line before memory runs out.</summary>
public sealed class ResolvedSizeSpec
{
    private static string Doubling(string seed, int levels, bool lists)
    {
        var text = new StringBuilder($"s0 = {seed}\n");
        for (var i = 1; i <= levels; i++)
        {
            var pair = lists ? $"${{s{i - 1}}} ${{s{i - 1}}}" : $"${{s{i - 1}}}${{s{i - 1}}}";
            text.Append(CultureInfo.InvariantCulture, $"s{i} = {pair}\n");
        }

        return text.ToString();
    }

    [Fact]
    public void StringsThatDoubleAtEveryLevel_AreRefused_WithFileAndLine_InsteadOfExhaustingMemory()
    {
        // 40 levels would be 2^40 characters; the limit is 2^20, so level 21 (line 22) is the first refused.
        var error = Assert.Throws<ConfigException>(() => HoconConfig.Parse(Doubling("x", 40, lists: false), "bomb.conf").Resolve());
        Assert.StartsWith("bomb.conf:22: s21:", error.Message, StringComparison.Ordinal);
        Assert.Contains("a string of 2,097,152 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListsThatDoubleAtEveryLevel_AreRefused_WithFileAndLine()
    {
        var error = Assert.Throws<ConfigException>(() => HoconConfig.Parse(Doubling("[1]", 40, lists: true), "bomb.conf").Resolve());
        Assert.StartsWith("bomb.conf:22: s21:", error.Message, StringComparison.Ordinal);
        Assert.Contains("a list of 2,097,152 items", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStringOfExactlyTheLimit_IsAccepted()
    {
        var config = HoconConfig.Parse(Doubling("x", 20, lists: false), "big.conf").Resolve();
        Assert.Equal(1 << 20, config.GetString("s20").Length);
    }

    [Fact]
    public void AListOfExactlyTheLimit_IsAccepted()
    {
        var config = HoconConfig.Parse(Doubling("[1]", 20, lists: true), "big.conf").Resolve();
        Assert.Equal(1 << 20, ((HoconArray)config.GetValue("s20")!).Items.Count);
    }
}
