using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Lan.Actors.Io;
using Lan.Actors.Discovery;
using Lan.Actors.Tests.Io;

namespace Lan.Actors.Tests.Discovery;

/// <summary>Where discovery broadcasts go with <c>broadcast-address = auto</c>, computed from interface data the spec makes up.</summary>
public sealed class BroadcastTargetsSpec
{
    private static readonly InterfaceAddress[] Host =
    [
        new("lo", true, true, IPAddress.Loopback, IPAddress.Parse("255.0.0.0")),
        new("eth0", true, false, IPAddress.Parse("192.168.1.20"), IPAddress.Parse("255.255.255.0")),
        new("wlan0", true, false, IPAddress.Parse("10.4.7.9"), IPAddress.Parse("255.255.0.0")),
        new("tun0", true, false, IPAddress.Parse("172.20.0.5"), IPAddress.Parse("255.255.255.252")),
        new("eth1", false, false, IPAddress.Parse("192.168.9.1"), IPAddress.Parse("255.255.255.0")),
    ];

    [Fact]
    public void Auto_IsTheLimitedBroadcast_PlusEachUpInterfacesOwn_WithoutLoopbackOrDownOnes()
    {
        var targets = BroadcastTargets.Resolve([], Host);
        Assert.Equal(
            [IPAddress.Broadcast, IPAddress.Parse("192.168.1.255"), IPAddress.Parse("10.4.255.255"), IPAddress.Parse("172.20.0.7")],
            targets);
    }

    [Theory]
    [InlineData("0.0.0.0", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("127.255.255.255", true)]
    [InlineData("192.168.1.255", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("192.168.1.20", false)]
    [InlineData("192.168.7.255", false)]
    public void OnlyTheWildcard_AndBroadcastAddresses_HearBroadcasts_AUnicastBindDoesNot(string bindAddress, bool hears) =>
        Assert.Equal(hears, BroadcastTargets.HearsBroadcasts(IPAddress.Parse(bindAddress), Host));

    [Fact]
    public void TheInterfaceFilter_KeepsOnlyTheNamedAdapters_AndDropsTheLimitedBroadcast()
    {
        // 255.255.255.255 leaves by the default route's adapter, which may be the very VPN the filter excludes.
        Assert.Equal([IPAddress.Parse("192.168.1.255")], BroadcastTargets.Resolve(["eth0"], Host));
    }

    [Fact]
    public void OneConfiguredAddress_IsUsedAlone()
    {
        var settings = DiscoverySettings.FromConfig(SettingsConfig.Over("lan.discovery.broadcast-address = \"127.255.255.255\""));
        Assert.Equal([IPAddress.Parse("127.255.255.255")], BroadcastTargets.ForThisHost(settings));
    }

    [Theory]
    [InlineData("192.168.1.20", "255.255.255.0", "192.168.1.255")]
    [InlineData("10.0.0.1", "255.0.0.0", "10.255.255.255")]
    [InlineData("172.16.5.4", "255.255.255.255", "172.16.5.4")]
    [InlineData("127.0.0.1", "255.0.0.0", "127.255.255.255")]
    public void DirectedBroadcast_SetsEveryHostBit(string address, string mask, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), BroadcastTargets.DirectedBroadcast(IPAddress.Parse(address), IPAddress.Parse(mask)));

    [Fact]
    public void Auto_OnThisHost_IsTheLimitedBroadcast_PlusEveryUpInterface_ButLoopback()
    {
        var targets = BroadcastTargets.ForThisHost(DiscoverySettings.FromConfig(SettingsConfig.Over("")));
        Assert.Equal(IPAddress.Broadcast, targets[0]);
        Assert.DoesNotContain(IPAddress.Parse("127.255.255.255"), targets);
        var expected =
            from adapter in NetworkInterface.GetAllNetworkInterfaces()
            where adapter.OperationalStatus == OperationalStatus.Up && adapter.NetworkInterfaceType != NetworkInterfaceType.Loopback
            from unicast in adapter.GetIPProperties().UnicastAddresses
            where unicast.Address.AddressFamily == AddressFamily.InterNetwork
            select BroadcastTargets.DirectedBroadcast(unicast.Address, unicast.IPv4Mask);
        Assert.Equal([IPAddress.Broadcast, .. expected.Distinct()], targets);
    }

    [Fact]
    public void NullArguments_AreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => BroadcastTargets.ForThisHost(null!));
        Assert.Throws<ArgumentNullException>(() => BroadcastTargets.Resolve(null!, Host));
        Assert.Throws<ArgumentNullException>(() => BroadcastTargets.Resolve([], null!));
        Assert.Throws<ArgumentNullException>(() => BroadcastTargets.DirectedBroadcast(null!, IPAddress.Any));
        Assert.Throws<ArgumentNullException>(() => BroadcastTargets.DirectedBroadcast(IPAddress.Any, null!));
    }
}
