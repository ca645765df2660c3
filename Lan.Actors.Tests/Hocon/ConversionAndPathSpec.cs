using Lan.Actors.Hocon;

namespace Lan.Actors.Tests.Hocon;

/// <summary>The getters' conversions at their edges, and path expressions with quotes, as docs/HOCON.md describes them.</summary>
public sealed class ConversionAndPathSpec
{
    [Theory]
    [InlineData("1 nanosecond", 0)]
    [InlineData("300 nano", 3)]
    [InlineData("700 nanoseconds", 7)]
    [InlineData("1 micro", 10)]
    [InlineData("1 microsecond", 10)]
    [InlineData("2 milli", 20_000)]
    [InlineData("2 millisecond", 20_000)]
    [InlineData("1 hour", 36_000_000_000)]
    [InlineData("250 nanos", 2)]
    [InlineData("2µs", 20)]
    [InlineData("3 microseconds", 30)]
    [InlineData("4 millis", 40_000)]
    [InlineData("5 milliseconds", 50_000)]
    [InlineData("1 second", 10_000_000)]
    [InlineData("1 minute", 600_000_000)]
    [InlineData("2 hours", 72_000_000_000)]
    [InlineData("1 day", 864_000_000_000)]
    [InlineData("-5s", -50_000_000)]
    [InlineData("0", 0)]
    public void Durations_ReadEveryDocumentedUnit(string text, long ticks) =>
        Assert.Equal(TimeSpan.FromTicks(ticks), HoconText.Parse($"d = {text}").GetTimeSpan("d"));

    [Theory]
    [InlineData("1e20d")]
    [InlineData("-1e20d")]
    [InlineData("5 fortnights")]
    [InlineData("s")]
    [InlineData("922337203685.4775807s")]
    [InlineData("-922337203685.4775808s")]
    public void DurationsBeyondATimeSpan_OrWithUnknownUnits_AreRefused(string text)
    {
        var error = HoconText.Error(() => HoconText.Parse($"d = {text}").GetTimeSpan("d"));
        Assert.StartsWith("<string>:1: d: expected a duration such as 5s or 250ms", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1_728_000_000_000, "2d")]
    [InlineData(108_000_000_000, "3h")]
    [InlineData(2_400_000_000, "4m")]
    [InlineData(900_000_000, "90s")]
    [InlineData(15_000_000, "1500ms")]
    [InlineData(15_000, "1500us")]
    [InlineData(3, "300ns")]
    [InlineData(0, "0d")]
    public void Durations_AreWrittenInTheLargestExactUnit(long ticks, string text) =>
        Assert.Equal(text, DurationFormat.Format(TimeSpan.FromTicks(ticks)));

    [Theory]
    [InlineData("a = 1e3", 1000)]
    [InlineData("a = 0e5", 0)]
    [InlineData("a = 1.0", 1)]
    [InlineData("a = -0", 0)]
    [InlineData("a = \"-42\"", -42)]
    [InlineData("a = 9223372036854775807", long.MaxValue)]
    [InlineData("a = -9223372036854775808", long.MinValue)]
    [InlineData("a = 9.223372036854775807e18", long.MaxValue)]
    [InlineData("a = -9.223372036854775808e18", long.MinValue)]
    [InlineData("a = 0.0", 0)]
    [InlineData("a = 0e-3", 0)]
    public void WholeNumbers_ReadInAnyForm(string text, long value) =>
        Assert.Equal(value, HoconText.Parse(text).GetLong("a"));

    [Theory]
    [InlineData("a = 1e-30")]
    [InlineData("a = 0.5")]
    [InlineData("a = 1e19")]
    [InlineData("a = true")]
    [InlineData("a = on")]
    [InlineData("a = 12abc")]
    public void NotAWholeNumber_IsRefused(string text) =>
        Assert.StartsWith("<string>:1: a: expected a whole number such as 42", HoconText.Error(() => HoconText.Parse(text).GetLong("a")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("a = 2147483648")]
    [InlineData("a = -2147483649")]
    public void IntsBeyondThirtyTwoBits_AreRefused(string text) =>
        Assert.Contains("at most 2147483647", HoconText.Error(() => HoconText.Parse(text).GetInt("a")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("a = 2147483647", int.MaxValue)]
    [InlineData("a = -2147483648", int.MinValue)]
    public void IntsAtTheirLimits_AreRead(string text, int value) =>
        Assert.Equal(value, HoconText.Parse(text).GetInt("a"));

    [Theory]
    [InlineData("a = 1e400")]
    [InlineData("a = false")]
    [InlineData("a = text")]
    public void NotAFiniteNumber_IsRefusedAsADouble(string text) =>
        Assert.Contains("expected a number such as 1.5", HoconText.Error(() => HoconText.Parse(text).GetDouble("a")).Message, StringComparison.Ordinal);

    [Fact]
    public void Doubles_ReadFromNumbersAndQuotedNumbers()
    {
        Assert.Equal(1.5, HoconText.Parse("a = \"1.5\"").GetDouble("a"));
        Assert.Equal(-2e-3, HoconText.Parse("a = -2e-3").GetDouble("a"));
    }

    [Theory]
    [InlineData("a = yes")]
    [InlineData("a = 1")]
    [InlineData("a = TRUE")]
    public void OnlyTheDocumentedBooleanWords_AreBooleans(string text)
    {
        var config = HoconText.Parse(text);
        if (text.EndsWith("yes", StringComparison.Ordinal))
        {
            Assert.True(config.GetBoolean("a"));
            return;
        }

        Assert.Contains("expected a boolean (true/false, on/off, yes/no)", HoconText.Error(() => config.GetBoolean("a")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SizesAtTheLowerLimitOfALong_AreRead() =>
        Assert.Equal(long.MinValue, HoconText.Parse("s = -9223372036854775808B").GetByteSize("s"));

    [Fact]
    public void ANullPath_IsAnArgumentNullException() =>
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => HoconText.Parse("a = 1").HasPath(null!)).ParamName);

    [Fact]
    public void QuotedPathSegments_KeepTheirDots_AndMayBeEmpty()
    {
        var config = HoconText.Parse("a { \"b.c\" = 1, \"\" = 2, \"q\\\"x\" = 3 }");

        Assert.Equal(1, config.GetInt("a.\"b.c\""));
        Assert.Equal(2, config.GetInt("a.\"\""));
        Assert.Equal(1, config.GetInt("\"a\".\"b.c\""));
        Assert.False(config.HasPath("a.b"));
    }

    [Theory]
    [InlineData("a..b", "path has an empty element")]
    [InlineData(".a", "path has an empty element")]
    [InlineData("a.", "path has an empty element")]
    [InlineData("", "path has an empty element")]
    [InlineData("a.\"b", "unclosed quote in path")]
    public void MalformedPaths_AreRefused_NamingThePath(string path, string problem)
    {
        var error = HoconText.Error(() => HoconText.Parse("a = 1").HasPath(path));
        Assert.Equal(path, error.Path);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorsFromASubtree_RenderItsPathWithQuotesWhereNeeded()
    {
        var config = HoconText.Parse("a { \"b.c\" { x = 1 }, \"\" { y = 2 }, \"sp ace\" { z = 3 }, plain { w = 4 } }");

        Assert.Equal("a.\"b.c\".missing: no setting at this path", Problem(() => config.GetConfig("a.\"b.c\"").GetInt("missing")));
        Assert.Equal("a.\"\".missing: no setting at this path", Problem(() => config.GetConfig("a.\"\"").GetInt("missing")));
        Assert.Equal("a.\"sp ace\".missing: no setting at this path", Problem(() => config.GetConfig("a.\"sp ace\"").GetInt("missing")));
        Assert.Equal("a.plain.missing: no setting at this path", Problem(() => config.GetConfig("a.plain").GetInt("missing")));
        Assert.StartsWith("<string>:1: q.\"x\\\"y\": ${nope} is not defined",
            HoconText.Error(() => HoconText.Parse("q { \"x\\\"y\" = ${nope} }").Root).Message, StringComparison.Ordinal);
    }

    private static string Problem(Func<object?> read)
    {
        var message = HoconText.Error(read).Message;
        return message[..message.IndexOf(';', StringComparison.Ordinal)];
    }
}
