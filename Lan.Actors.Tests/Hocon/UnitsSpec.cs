namespace Lan.Actors.Tests.Hocon;

public sealed class UnitsSpec
{
    [Theory]
    [InlineData("100ns", 1)]
    [InlineData("1us", 10)]
    [InlineData("3 micros", 30)]
    [InlineData("250ms", 2_500_000)]
    [InlineData("250", 2_500_000)]
    [InlineData("5s", 50_000_000)]
    [InlineData("1.5 seconds", 15_000_000)]
    [InlineData("2m", 1_200_000_000)]
    [InlineData("2 minutes", 1_200_000_000)]
    [InlineData("1h", 36_000_000_000)]
    [InlineData("1d", 864_000_000_000)]
    [InlineData("2 days", 1_728_000_000_000)]
    [InlineData("1e3s", 10_000_000_000)]
    [InlineData("1.5E-3 s", 15_000)]
    public void Durations_AcceptShortAndLongUnits_AndDefaultToMilliseconds(string text, long ticks) =>
        Assert.Equal(TimeSpan.FromTicks(ticks), HoconText.Parse($"d = {text}").GetTimeSpan("d"));

    [Theory]
    [InlineData("1024", 1024)]
    [InlineData("10 bytes", 10)]
    [InlineData("1B", 1)]
    [InlineData("1kB", 1000)]
    [InlineData("1K", 1024)]
    [InlineData("1KiB", 1024)]
    [InlineData("1.5KiB", 1536)]
    [InlineData("2MB", 2_000_000)]
    [InlineData("1MiB", 1_048_576)]
    [InlineData("16M", 16_777_216)]
    [InlineData("1GB", 1_000_000_000)]
    [InlineData("1GiB", 1_073_741_824)]
    [InlineData("2 mebibytes", 2_097_152)]
    [InlineData("1TiB", 1_099_511_627_776)]
    [InlineData("2EB", 2_000_000_000_000_000_000)]
    [InlineData("1EiB", 1_152_921_504_606_846_976)]
    [InlineData("9007199254740993B", 9_007_199_254_740_993)]
    [InlineData("1.5B", 1)]
    [InlineData("1e3B", 1000)]
    public void Sizes_AcceptDecimalAndBinaryUnits(string text, long bytes) =>
        Assert.Equal(bytes, HoconText.Parse($"s = {text}").GetByteSize("s"));

    [Fact]
    public void UnknownDurationUnit_IsAnError_ThatShowsAnExample()
    {
        var error = HoconText.Error(() => HoconText.Parse("a {\n  timeout = 5 parsecs\n}", "app.conf").GetTimeSpan("a.timeout"));
        Assert.Equal("app.conf:2: a.timeout: expected a duration such as 5s or 250ms, got \"5 parsecs\"", error.Message);
    }

    [Fact]
    public void WrongSize_IsAnError_InTheDocumentedForm()
    {
        var text = "lan {\n  tcp {\n\n    # frames\n\n\n\n\n\n\n\n    max-frame-size = huge\n  }\n}";
        var error = HoconText.Error(() => HoconText.Parse(text, "server.conf").GetByteSize("lan.tcp.max-frame-size"));
        Assert.Equal("server.conf:12: lan.tcp.max-frame-size: expected a size such as 1MiB, got \"huge\"", error.Message);
    }
}
