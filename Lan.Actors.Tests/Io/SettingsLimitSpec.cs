using System.Net;
using Lan.Actors.Io;
using Lan.Actors.Discovery;

namespace Lan.Actors.Tests.Io;

/// <summary>The edges of every checked setting: the last value accepted and the first refused.</summary>
public sealed class SettingsLimitSpec
{
    [Fact]
    public void IntRanges_IncludeBothEnds()
    {
        Assert.Equal(1, LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.max-connections = 1")).MaxConnections);
        Assert.Equal(1_000_000, LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.max-connections = 1000000")).MaxConnections);
        Assert.Equal("user.conf:1: lan.tcp.max-connections: must be between 1 and 1000000, got 1000001",
            SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.max-connections = 1000001"))).Message);
    }

    [Fact]
    public void DoubleRanges_IncludeBothEnds()
    {
        Assert.Equal(0, LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.reconnect.random-factor = 0")).Reconnect.RandomFactor);
        Assert.Equal(1, LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.reconnect.random-factor = 1")).Reconnect.RandomFactor);
        Assert.Equal("user.conf:1: lan.tcp.reconnect.random-factor: must be between 0 and 1, got -0.5",
            SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.reconnect.random-factor = -0.5"))).Message);
    }

    [Fact]
    public void Ports_RunFromOne_OrZeroWhereTheOsMayChoose_To65535()
    {
        Assert.Equal(65535, LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.port = 65535")).Port);
        Assert.Equal(1, DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.port = 1")).Port);
        Assert.Equal(65535, DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.port = 65535")).Port);
        Assert.Equal("user.conf:1: lan.discovery.port: must be between 1 and 65535, got 65536",
            SettingsConfig.Error(() => DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.port = 65536"))).Message);
    }

    [Fact]
    public void Durations_AboveZero_AreAccepted_AndZeroIsShownAsWritten()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1), LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.connect-timeout = 1ms")).ConnectTimeout);
        Assert.Equal("user.conf:1: lan.tcp.close-timeout: must be a duration above zero such as 5s, got -5s",
            SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.close-timeout = -5s"))).Message);
    }

    [Fact]
    public void HeartbeatTimeout_EqualToTheInterval_IsRefused_WithBothValues()
    {
        Assert.Equal("user.conf:1: lan.tcp.heartbeat-timeout: must be longer than lan.tcp.heartbeat-interval (3s), or every quiet connection would be dropped; got 3s",
            SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp { heartbeat-interval = 3s, heartbeat-timeout = 3s }"))).Message);
        Assert.Equal(TimeSpan.FromMilliseconds(3001),
            LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp { heartbeat-interval = 3s, heartbeat-timeout = 3001ms }")).HeartbeatTimeout);
    }

    [Fact]
    public void ExpireAfter_EqualToTheAnnounceInterval_IsRefused_WithBothValues()
    {
        Assert.Equal("user.conf:1: lan.discovery.expire-after: must be longer than lan.discovery.announce-interval (2s), or servers would expire between announcements; got 2s",
            SettingsConfig.Error(() => DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.expire-after = 2s"))).Message);
    }

    [Fact]
    public void Backoffs_MayBeEqual_ButMaxBelowMin_IsRefused_WithBothValues()
    {
        var reconnect = LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.reconnect { min-backoff = 1s, max-backoff = 1s }")).Reconnect;
        Assert.Equal(reconnect.MinBackoff, reconnect.MaxBackoff);
        Assert.Equal("user.conf:1: lan.tcp.reconnect.max-backoff: must be at least lan.tcp.reconnect.min-backoff (1s), got 999ms",
            SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.reconnect { min-backoff = 1s, max-backoff = 999ms }"))).Message);
    }

    [Fact]
    public void SweepRange_OfOnePort_IsAccepted_AndAReversedOneIsRefused_WithBothEnds()
    {
        Assert.Equal(new SweepSettings(50000, 50000, 1),
            DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.sweep { port-range-start = 50000, port-range-end = 50000, probes-per-second = 1 }")).Sweep);
        Assert.Equal("user.conf:1: lan.discovery.sweep.port-range-end: must be at least lan.discovery.sweep.port-range-start (50000), got 49999",
            SettingsConfig.Error(() => DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.sweep { port-range-start = 50000, port-range-end = 49999 }"))).Message);
    }

    [Fact]
    public void EveryDiscoverySetting_IsReadFromTheUsersFile()
    {
        var discovery = DiscoverySettings.FromConfig(SettingsConfig.Over(
            """
            lan.discovery {
              enabled = off, mode = sweep, port = 4000, bind-address = "127.0.0.1", broadcast-address = "10.0.0.255"
              announce-interval = 1s, expire-after = 3s, reply-unicast = off, replies-per-source = 7, replies-total = 70
              interfaces = [eth0, wlan0]
              sweep { port-range-start = 50000, port-range-end = 50010, probes-per-second = 9 }
            }
            """));
        Assert.Equal(
            new DiscoverySettings(false, DiscoveryMode.Sweep, 4000, IPAddress.Loopback, IPAddress.Parse("10.0.0.255"), TimeSpan.FromSeconds(1),
                TimeSpan.FromSeconds(3), false, new SweepSettings(50000, 50010, 9), 7, 70, discovery.Interfaces),
            discovery);
        Assert.Equal(["eth0", "wlan0"], discovery.Interfaces);
    }

    [Fact]
    public void BindHost_TakesAnAddressOrAName()
    {
        Assert.Equal("127.0.0.1", LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.bind-host = \"127.0.0.1\"")).BindHost);
        Assert.Equal("user.conf:1: lan.tcp.bind-host: expected an IP address or host name such as 127.0.0.1 or localhost, got \"no such host\"",
            SettingsConfig.Error(() => LanTcpSettings.FromConfig(SettingsConfig.Over("lan.tcp.bind-host = \"no such host\""))).Message);
    }

    [Fact]
    public void NodeNames_OfSixtyFourCharacters_AreAccepted_AndLongerOrControlCharactersAreNot()
    {
        var longest = new string('n', 64);
        Assert.Equal(longest, NodeSettings.FromConfig(SettingsConfig.Over($"lan.node.name = {longest}")).Name);
        var tooLong = longest + "n";
        Assert.Equal($"user.conf:1: lan.node.name: must be at most 64 printable characters, got \"{tooLong}\"",
            SettingsConfig.Error(() => NodeSettings.FromConfig(SettingsConfig.Over($"lan.node.name = {tooLong}"))).Message);
        Assert.Contains("lan.node.id: must be at most 64 printable characters",
            SettingsConfig.Error(() => NodeSettings.FromConfig(SettingsConfig.Over("lan.node.id = \"a\\tb\""))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SweepPorts_CannotBeEphemeral()
    {
        Assert.Contains("lan.discovery.sweep.port-range-start: must be between 1 and 65535, got 0",
            SettingsConfig.Error(() => DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.sweep.port-range-start = 0"))).Message, StringComparison.Ordinal);
        Assert.Contains("lan.discovery.sweep.port-range-end: must be between 1 and 65535, got 0",
            SettingsConfig.Error(() => DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.sweep { port-range-start = 1, port-range-end = 0 }"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfig_RefusesNull()
    {
        Assert.Throws<ArgumentNullException>(() => LanTcpSettings.FromConfig(null!));
        Assert.Throws<ArgumentNullException>(() => DiscoverySettings.FromConfig(null!));
        Assert.Throws<ArgumentNullException>(() => NodeSettings.FromConfig(null!));
        Assert.Throws<ArgumentNullException>(() => ReconnectSettings.FromConfig(null!, "x"));
        Assert.Throws<ArgumentNullException>(() => SweepSettings.FromConfig(null!, "x"));
    }

    [Fact]
    public void ConnectionFailures_CarryTheirReason_AndADefaultMessage()
    {
        Assert.Equal((DisconnectReason.Dropped, "the connection failed"), (new ConnectionFailedException().Reason, new ConnectionFailedException().Message));
        Assert.Equal((DisconnectReason.Dropped, "x"), (new ConnectionFailedException("x").Reason, new ConnectionFailedException("x").Message));
        var inner = new InvalidOperationException();
        Assert.Same(inner, new ConnectionFailedException("x", inner).InnerException);
        Assert.Equal((DisconnectReason.Dropped, "the peer dropped the connection"), (new PeerDroppedException().Reason, new PeerDroppedException().Message));
        Assert.Equal((DisconnectReason.ServerClosed, "the server closed the connection"), (new ServerClosedException().Reason, new ServerClosedException().Message));
        Assert.Same(inner, new ServerClosedException("x", inner).InnerException);
        Assert.Equal(DisconnectReason.ServerClosed, new ServerClosedException("x").Reason);
    }
}
