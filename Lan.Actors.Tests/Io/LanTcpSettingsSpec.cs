using Lan.Actors.Io;

namespace Lan.Actors.Tests.Io;

public sealed class LanTcpSettingsSpec
{
    [Fact]
    public void Defaults_ComeFromReference()
    {
        var tcp = LanTcpSettings.FromConfig(SettingsConfig.Over(""));
        Assert.Equal(new LanTcpSettings("0.0.0.0", 0, 100, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), 1000, 8L << 20, 64L << 20, TimeSpan.FromSeconds(30), true,
            new ReconnectSettings(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), 0.2),
            MaxConnections: 10_000, MaxConnectionsPerAddress: 256, FrameTimeout: TimeSpan.FromSeconds(10), CloseTimeout: TimeSpan.FromSeconds(2), RequireHello: false, HelloTimeout: TimeSpan.FromSeconds(10)), tcp);
    }

    [Fact]
    public void ConnectionLimits_AreRead_AndChecked()
    {
        var tcp = LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp { max-connections = 3, frame-timeout = 250ms, close-timeout = 1s, require-hello = on }"));
        Assert.Equal(3, tcp.MaxConnections);
        Assert.Equal(TimeSpan.FromMilliseconds(250), tcp.FrameTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), tcp.CloseTimeout);
        Assert.True(tcp.RequireHello);
        var error = SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("\nlan.tcp.max-connections = 0")));
        Assert.Equal("user.conf:2: lan.tcp.max-connections: must be between 1 and 1000000, got 0", error.Message);
        error = SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("\nlan.tcp.frame-timeout = 0s")));
        Assert.StartsWith("user.conf:2: lan.tcp.frame-timeout: must be a duration above zero", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UserOverrides_AreApplied()
    {
        var tcp = LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp { bind-host = localhost, port = 4000, no-delay = off, reconnect.max-backoff = 1m }"));
        Assert.Equal("localhost", tcp.BindHost);
        Assert.Equal(4000, tcp.Port);
        Assert.False(tcp.NoDelay);
        Assert.Equal(TimeSpan.FromMinutes(1), tcp.Reconnect.MaxBackoff);
    }

    [Fact]
    public void DurationErrors_ShowDurationsAsWritten_NotTimeSpanText()
    {
        var error = SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp { heartbeat-interval = 10s, heartbeat-timeout = 5s }")));
        Assert.Contains("(10s)", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("got 5s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PortOutOfRange_IsRejected_WithTheLine()
    {
        var error = SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("\nlan.tcp.port = 70000")));
        Assert.Equal("user.conf:2: lan.tcp.port: must be between 0 and 65535, got 70000", error.Message);
    }

    [Fact]
    public void HeartbeatTimeout_MustExceedTheInterval()
    {
        var error = SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.heartbeat-timeout = 5s")));
        Assert.StartsWith("user.conf:1: lan.tcp.heartbeat-timeout: must be longer than lan.tcp.heartbeat-interval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroDuration_IsRejected() =>
        Assert.Contains("must be a duration above zero", SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.connect-timeout = 0s"))).Message, StringComparison.Ordinal);

    [Fact]
    public void InvalidHost_IsRejected() =>
        Assert.Contains("lan.tcp.bind-host: expected an IP address or host name", SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.bind-host = \"not a host\""))).Message, StringComparison.Ordinal);

    [Fact]
    public void RandomFactor_MustBeAFraction() =>
        Assert.Contains("lan.tcp.reconnect.random-factor: must be between 0 and 1", SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.reconnect.random-factor = 1.5"))).Message, StringComparison.Ordinal);

    [Fact]
    public void MaxBackoff_BelowMinBackoff_IsRejected() =>
        Assert.Contains("lan.tcp.reconnect.max-backoff: must be at least", SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.reconnect.max-backoff = 100ms"))).Message, StringComparison.Ordinal);

    [Fact]
    public void WrongUnit_IsRejected_InTheGetterForm() =>
        Assert.Equal("user.conf:1: lan.tcp.connect-timeout: expected a duration such as 5s or 250ms, got \"soon\"",
            SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.connect-timeout = soon"))).Message);
}
