using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Lan.Actors.Discovery;

/// <summary>One IPv4 address of a network interface, as far as broadcasting needs to know it.</summary>
/// <param name="Interface">The interface's name, e.g. <c>eth0</c>.</param>
/// <param name="IsUp">Whether the interface is up.</param>
/// <param name="IsLoopback">Whether it is the loopback interface.</param>
/// <param name="Address">The interface's IPv4 address.</param>
/// <param name="Mask">Its network mask.</param>
internal sealed record InterfaceAddress(string Interface, bool IsUp, bool IsLoopback, IPAddress Address, IPAddress Mask);

/// <summary>
/// Where discovery broadcasts go. One configured address is used alone. With <c>auto</c>: the limited
/// broadcast 255.255.255.255 (which the OS sends on its default interface only) plus the directed broadcast
/// of every up, non-loopback IPv4 interface, so a host with several adapters announces on each; the
/// <c>interfaces</c> filter keeps VPNs and virtual adapters out.
/// </summary>
internal static class BroadcastTargets
{
    /// <summary>The broadcast addresses for <paramref name="settings"/> on this host.</summary>
    public static IReadOnlyList<IPAddress> ForThisHost(DiscoverySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.BroadcastAddress is { } single ? [single] : Resolve(settings.Interfaces, LocalInterfaceAddresses());
    }

    /// <summary>The <c>auto</c> targets for the given interface addresses, kept to <paramref name="interfaces"/> unless it is empty.</summary>
    public static IReadOnlyList<IPAddress> Resolve(IReadOnlyCollection<string> interfaces, IEnumerable<InterfaceAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        ArgumentNullException.ThrowIfNull(addresses);
        var targets = new List<IPAddress>();
        if (interfaces.Count == 0)
        {
            targets.Add(IPAddress.Broadcast);
        }

        foreach (var address in addresses)
        {
            if (!address.IsUp || address.IsLoopback || address.Address.AddressFamily != AddressFamily.InterNetwork
                || (interfaces.Count > 0 && !interfaces.Contains(address.Interface)))
            {
                continue;
            }

            var directed = DirectedBroadcast(address.Address, address.Mask);
            if (!targets.Contains(directed))
            {
                targets.Add(directed);
            }
        }

        return targets;
    }

    /// <summary>
    /// Whether a UDP socket bound to <paramref name="bindAddress"/> hears broadcasts: the wildcard 0.0.0.0, the
    /// limited broadcast and each interface's directed broadcast (127.255.255.255 on loopback) do; a unicast
    /// address such as 127.0.0.1 does not, on Linux, and a node bound to one never hears a hello.
    /// </summary>
    internal static bool HearsBroadcasts(IPAddress bindAddress, IEnumerable<InterfaceAddress> addresses) =>
        bindAddress.Equals(IPAddress.Any) || bindAddress.Equals(IPAddress.Broadcast)
        || addresses.Any(address => address.Address.AddressFamily == AddressFamily.InterNetwork
            && DirectedBroadcast(address.Address, address.Mask).Equals(bindAddress));

    /// <summary><see cref="HearsBroadcasts(IPAddress, IEnumerable{InterfaceAddress})"/> for this host's interfaces.</summary>
    internal static bool HearsBroadcasts(IPAddress bindAddress) => HearsBroadcasts(bindAddress, LocalInterfaceAddresses());

    /// <summary>The address with every host bit set: 192.168.1.20/24 gives 192.168.1.255.</summary>
    public static IPAddress DirectedBroadcast(IPAddress address, IPAddress mask)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(mask);
        var bytes = address.GetAddressBytes();
        var maskBytes = mask.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(bytes[i] | ~maskBytes[i]);
        }

        return new IPAddress(bytes);
    }

    private static IEnumerable<InterfaceAddress> LocalInterfaceAddresses() =>
        from adapter in NetworkInterface.GetAllNetworkInterfaces()
        from unicast in adapter.GetIPProperties().UnicastAddresses
        where unicast.Address.AddressFamily == AddressFamily.InterNetwork
        select new InterfaceAddress(
            adapter.Name,
            adapter.OperationalStatus == OperationalStatus.Up,
            adapter.NetworkInterfaceType == NetworkInterfaceType.Loopback,
            unicast.Address,
            unicast.IPv4Mask);
}
