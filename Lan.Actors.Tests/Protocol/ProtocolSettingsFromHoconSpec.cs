using Lan.Actors.Hocon;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

public sealed class ProtocolSettingsFromHoconSpec
{
    private static ProtocolSettings Read(string hocon) =>
        ProtocolSettings.FromConfig(HoconConfig.Parse(hocon, "node.conf").WithFallback(HoconConfig.Reference));

    [Fact]
    public void ReferenceConf_GivesTheDocumentedDefaults()
    {
        Assert.Equal(ProtocolSettings.Default, Read(""));
    }

    [Fact]
    public void Sizes_AreReadWithUnits()
    {
        var settings = Read("lan.protocol { max-frame-size = 64KiB, max-content-size = 2M, max-depth = 8 }");
        Assert.Equal(64 * 1024, settings.MaxFrameSize);
        Assert.Equal(2 * 1024 * 1024, settings.MaxContentSize);
        Assert.Equal(8, settings.MaxDepth);
    }

    [Fact]
    public void ANonSize_FailsWithFileLineAndPath()
    {
        var error = Assert.Throws<ConfigException>(() => Read("\n\nlan.protocol.max-frame-size = huge"));
        Assert.StartsWith("node.conf:3: lan.protocol.max-frame-size:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOutOfRangeLimit_FailsWithFileLineAndPath()
    {
        var error = Assert.Throws<ConfigException>(() => Read("lan.protocol.max-depth = 0"));
        Assert.StartsWith("node.conf:1: lan.protocol.max-depth:", error.Message, StringComparison.Ordinal);
        Assert.Contains("out of range", error.Message, StringComparison.Ordinal);
    }
}
