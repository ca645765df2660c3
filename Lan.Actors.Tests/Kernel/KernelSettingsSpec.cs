using Lan.Actors.Hocon;
using Lan.Actors.Kernel;

namespace Lan.Actors.Tests.Kernel;

public sealed class KernelSettingsSpec
{
    private static KernelSettings Read(string hocon) => KernelSettings.FromConfig(HoconConfig.Parse(hocon, "app.conf").WithFallback(HoconConfig.Reference));

    [Fact]
    public void Defaults_ComeFromReferenceConf()
    {
        var settings = Read("");
        Assert.Equal(new KernelSettings() with { TestTimeFactor = settings.TestTimeFactor }, settings);
    }

    [Fact]
    public void UserValues_OverrideTheDefaults()
    {
        var settings = Read("lan.kernel { throughput = 5, log-level = debug, default-ask-timeout = 250ms }");
        Assert.Equal(5, settings.Throughput);
        Assert.Equal(Serilog.Events.LogEventLevel.Debug, settings.LogLevel);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.DefaultAskTimeout);
    }

    [Fact]
    public void BadLogLevel_NamesTheFileLineAndPath()
    {
        var error = Assert.Throws<ConfigException>(() => Read("\nlan.kernel.log-level = chatty"));
        Assert.StartsWith("app.conf:2: lan.kernel.log-level:", error.Message, StringComparison.Ordinal);
        Assert.Contains("chatty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroThroughput_IsRejected()
    {
        var error = Assert.Throws<ConfigException>(() => Read("lan.kernel.throughput = 0"));
        Assert.Contains("lan.kernel.throughput", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TestKitConfigString_ReachesTheSystem()
    {
        using var kit = new TestKit.TestKit("lan.kernel.throughput = 7");
        Assert.Equal(7, kit.Sys.Settings.Throughput);
    }
}
