using Lan.Actors.Hocon;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

public sealed class ProtocolSettingsSpecs
{
    [Fact]
    public void Defaults_AreTheIssuesLimits()
    {
        ProtocolSettings settings = ProtocolSettings.Default;

        Assert.Equal(1024 * 1024, settings.MaxFrameSize);
        Assert.Equal(16 * 1024 * 1024, settings.MaxContentSize);
        Assert.Equal(32, settings.MaxDepth);
        Assert.Equal(1400, settings.MaxDatagramSize);
    }

    [Fact]
    public void EmptyConfig_GivesTheDefaults()
    {
        Assert.Equal(ProtocolSettings.Default, ProtocolSettings.FromConfig(HoconConfig.Empty));
    }

    [Fact]
    public void OutOfRangeValue_NamesItsConfigPath()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => ProtocolSettings.Default with { MaxDepth = 0 });

        Assert.Contains("lan.protocol.max-depth = 0 is out of range; use a value from 1 to 64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(ProtocolSettings.MaxFrameSize), 10)]
    [InlineData(nameof(ProtocolSettings.MaxContentSize), -1)]
    [InlineData(nameof(ProtocolSettings.MaxDatagramSize), 70_000)]
    public void NonsenseLimits_AreRefusedWhenSet(string limit, int value)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => limit switch
        {
            nameof(ProtocolSettings.MaxFrameSize) => ProtocolSettings.Default with { MaxFrameSize = value },
            nameof(ProtocolSettings.MaxContentSize) => ProtocolSettings.Default with { MaxContentSize = value },
            _ => ProtocolSettings.Default with { MaxDatagramSize = value },
        });
    }
}
