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
    public void MaxDatagramSize_IsReadFromHocon_WithOrWithoutAUnit()
    {
        Assert.Equal(512, Read("lan.protocol.max-datagram-size = 512").MaxDatagramSize);
        Assert.Equal(9000, Read("lan.protocol.max-datagram-size = 9kB").MaxDatagramSize);
        Assert.Equal(ProtocolSettings.Default with { MaxDatagramSize = 512 }, Read("lan.protocol.max-datagram-size = 512"));
    }

    [Fact]
    public void EveryLimit_IsReadFromItsOwnKey()
    {
        var settings = Read("lan.protocol { max-frame-size = 100, max-content-size = 200, max-depth = 3, max-datagram-size = 400 }");
        Assert.Equal(new ProtocolSettings { MaxFrameSize = 100, MaxContentSize = 200, MaxDepth = 3, MaxDatagramSize = 400 }, settings);
    }

    [Fact]
    public void ASizeBeyondAnInt_IsOutOfRange_NotWrappedAround()
    {
        var error = Assert.Throws<ConfigException>(() => Read("lan.protocol.max-content-size = 4GiB"));
        Assert.StartsWith("node.conf:1: lan.protocol.max-content-size:", error.Message, StringComparison.Ordinal);
        Assert.Contains("out of range", error.Message, StringComparison.Ordinal);

        var negative = Assert.Throws<ConfigException>(() => Read("lan.protocol.max-frame-size = -5GiB"));
        // The value as written, not clamped to what an int holds.
        Assert.Contains("lan.protocol.max-frame-size: -5368709120 is out of range", negative.Message, StringComparison.Ordinal);
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
