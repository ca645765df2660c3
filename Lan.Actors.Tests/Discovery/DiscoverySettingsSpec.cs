using System.Net;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Tests.Hocon;
using Lan.Actors.Discovery;
using Lan.Actors.Tests.Io;

namespace Lan.Actors.Tests.Discovery;

public sealed class DiscoverySettingsSpec
{
    [Fact]
    public void Defaults_ComeFromReference()
    {
        var discovery = DiscoverySettings.FromConfig(SettingsConfig.Over(""));
        Assert.True(discovery.Enabled);
        Assert.Equal(DiscoveryMode.Broadcast, discovery.Mode);
        Assert.Equal(47800, discovery.Port);
        Assert.Equal(IPAddress.Any, discovery.BindAddress);
        Assert.Null(discovery.BroadcastAddress); // auto
        Assert.Empty(discovery.Interfaces);
        Assert.Equal(TimeSpan.FromSeconds(2), discovery.AnnounceInterval);
        Assert.Equal(TimeSpan.FromSeconds(7), discovery.ExpireAfter);
        Assert.True(discovery.ReplyUnicast);
        Assert.Equal(new SweepSettings(49152, 65535, 2000), discovery.Sweep);
    }

    [Fact]
    public void Loopback_BroadcastsOnlyOnThisHost()
    {
        var config = HoconConfig.Load(ReferenceConfSpec.RepositoryFile("hocon", "loopback.conf")).WithFallback(HoconConfig.Reference);
        var discovery = DiscoverySettings.FromConfig(config);
        Assert.Equal(IPAddress.Parse("127.255.255.255"), discovery.BroadcastAddress);
        Assert.Equal(IPAddress.Parse("127.255.255.255"), discovery.BindAddress);
    }

    [Fact]
    public void TheRestartBackoff_OfAFailedDiscovery_IsConfigurable_AndChecked()
    {
        Assert.Equal(new ReconnectSettings(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), 0.2), DiscoverySettings.FromConfig(SettingsConfig.Over("")).Restart);
        Assert.Equal(TimeSpan.FromSeconds(2), DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.restart.min-backoff = 2s")).Restart.MinBackoff);
        Assert.StartsWith("user.conf:1: lan.discovery.restart.max-backoff: must be at least lan.discovery.restart.min-backoff",
            SettingsConfig.Error(() => DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.restart { min-backoff = 1m, max-backoff = 1s }"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHandlersRestartBudget_IsConfigurable_AndChecked()
    {
        Assert.Equal(HandlerSettings.Default, HandlerSettings.FromConfig(SettingsConfig.Over("")));
        Assert.Equal(new HandlerSettings(0, TimeSpan.FromSeconds(10)), HandlerSettings.FromConfig(SettingsConfig.Over("lan.handler { max-restarts = 0, restart-window = 10s }")));
        Assert.StartsWith("user.conf:1: lan.handler.max-restarts:",
            SettingsConfig.Error(() => HandlerSettings.FromConfig(SettingsConfig.Over("lan.handler.max-restarts = -1"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SweepMode_IsRead() =>
        Assert.Equal(DiscoveryMode.Sweep, DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.mode = sweep")).Mode);

    [Fact]
    public void UnknownMode_IsRejected_NamingTheChoices() =>
        Assert.Equal("user.conf:1: lan.discovery.mode: expected broadcast or sweep, got \"multicast\"",
            SettingsConfig.Error(() => DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.mode = multicast"))).Message);

    [Fact]
    public void BadAddress_IsRejected() =>
        Assert.Equal("user.conf:1: lan.discovery.broadcast-address: expected an IP address such as 127.0.0.1 or 0.0.0.0, got \"everyone\"",
            SettingsConfig.Error(() => DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.broadcast-address = everyone"))).Message);

    [Fact]
    public void Ipv6BroadcastAddress_IsRejected() =>
        Assert.Contains("IPv6 has no broadcast", SettingsConfig.Error(() => DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.broadcast-address = \"::1\""))).Message, StringComparison.Ordinal);

    [Fact]
    public void ExpireAfter_MustExceedTheAnnounceInterval() =>
        Assert.Contains("lan.discovery.expire-after: must be longer than lan.discovery.announce-interval", SettingsConfig.Error(() => DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.expire-after = 1s"))).Message, StringComparison.Ordinal);

    [Fact]
    public void DiscoveryPort_CannotBeEphemeral() =>
        Assert.Contains("lan.discovery.port: must be between 1 and 65535, got 0", SettingsConfig.Error(() => DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.port = 0"))).Message, StringComparison.Ordinal);

    [Fact]
    public void SweepRange_MustNotBeReversed() =>
        Assert.Contains("lan.discovery.sweep.port-range-end: must be at least", SettingsConfig.Error(() => DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.sweep { port-range-start = 60000, port-range-end = 50000 }"))).Message, StringComparison.Ordinal);

    [Fact]
    public void AddressFromASubstitution_IsValidatedLikeAnyOther()
    {
        var config = SettingsConfig.Over("my-host = \"127.0.0.1\"\nlan.discovery.bind-address = ${my-host}");
        Assert.Equal(IPAddress.Loopback, DiscoverySettings.FromConfig(config).BindAddress);
    }
}
