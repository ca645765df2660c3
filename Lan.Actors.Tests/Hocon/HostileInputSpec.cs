using System.Text;
using Lan.Actors.Hocon;

namespace Lan.Actors.Tests.Hocon;

/// <summary>Input that once crashed or hung the reader now fails with a ConfigException; JSON layouts it refused now read.</summary>
public sealed class HostileInputSpec
{
    [Theory]
    [InlineData("{ \"a\": 1\n, \"b\": 2 }", "{\"a\":1,\"b\":2}")]
    [InlineData("{ \"l\": [1\n, 2] }", "{\"l\":[1,2]}")]
    [InlineData("{ \"a\"\n : 1, \"b\": 2 }", "{\"a\":1,\"b\":2}")]
    [InlineData("a = 1\n, b = 2", "{\"a\":1,\"b\":2}")]
    public void JsonWithNewlinesBeforeCommasOrColons_Reads(string text, string json)
    {
        Assert.Equal(json, HoconText.Json(text));
    }

    [Fact]
    public void AKeyOfAThousandSegments_IsRefused_NotACrash()
    {
        var key = string.Join('.', Enumerable.Repeat("a", 1001));
        var error = Assert.Throws<ConfigException>(() => HoconConfig.Parse($"{key} = 1", "deep.conf").ToJson());
        Assert.StartsWith("deep.conf:1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("more than 200 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASubstitutionChainOfTenThousand_IsRefused_WithoutOverflowingTheStack()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i} = ${{a{i + 1}}}\n");
        }
        text.Append("a10000 = 1\n");
        var error = Assert.Throws<ConfigException>(() => HoconConfig.Parse(text.ToString(), "chain.conf").Resolve());
        Assert.Contains("chained more than 256 deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpandingSharedLists_IsRefused_NotAHang()
    {
        var text = new StringBuilder("a0 = [1,1,1,1,1,1,1,1,1,1]\n");
        for (var i = 1; i <= 8; i++)
        {
            var previous = $"${{a{i - 1}}}";
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i} = [{string.Join(',', Enumerable.Repeat(previous, 10))}]\n");
        }
        var error = Assert.Throws<ConfigException>(() => HoconConfig.Parse(text.ToString()).ToJson());
        Assert.Contains("more than 1,000,000 values", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a = -9223372036854775809")]
    [InlineData("a = 9223372036854775808")]
    [InlineData("a = 2147483647.0000000001")]
    public void NumbersThatDoNotFit_AreRefused_NotRounded(string text)
    {
        var config = HoconConfig.Parse(text);
        Assert.Throws<ConfigException>(() => text.Contains('.', StringComparison.Ordinal) ? config.GetInt("a") : config.GetLong("a"));
    }

    [Fact]
    public void WholeNumbersWithAnExponent_StillRead()
    {
        Assert.Equal(1000, HoconConfig.Parse("a = 1e3").GetLong("a"));
    }
}
