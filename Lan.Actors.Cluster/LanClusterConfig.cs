using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Lan.Actors.Discovery;

namespace Lan.Actors.Cluster;

/// <summary>The Akka settings a clustering node needs on top of the user's: the cluster provider, and remoting where discovery is.</summary>
internal static class LanClusterConfig
{
    /// <summary>
    /// The address remoting binds and announces: <c>lan.cluster.hostname</c> unless <c>auto</c>; then 127.0.0.1 when
    /// discovery stays on this host (a loopback broadcast address), else the first IPv4 address of an up interface
    /// (one of <c>lan.discovery.interfaces</c> when set), so remoting listens where discovery is heard and nowhere else.
    /// </summary>
    /// <exception cref="InvalidOperationException">auto found no up IPv4 interface.</exception>
    public static string Hostname(LanClusterSettings cluster, DiscoverySettings discovery)
    {
        if (!string.Equals(cluster.Hostname, "auto", StringComparison.Ordinal))
        {
            return cluster.Hostname;
        }

        if (discovery.BroadcastAddress is { } broadcast && IPAddress.IsLoopback(broadcast))
        {
            return IPAddress.Loopback.ToString();
        }

        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .Where(nic => discovery.Interfaces.Count == 0 || discovery.Interfaces.Contains(nic.Name, StringComparer.Ordinal))
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .FirstOrDefault(ip => ip.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(ip));
        return address?.ToString()
            ?? throw new InvalidOperationException(
                "lan.cluster.hostname = auto found no up IPv4 interface to run Akka remoting on; set lan.cluster.hostname to this machine's LAN address");
    }

    /// <summary>The HOCON that goes over the user's: provider, remoting's address and port, TLS, roles.</summary>
    public static string Overlay(LanClusterSettings cluster, string hostname, bool tls) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.hostname = "{{hostname}}"
            akka.remote.dot-netty.tcp.port = {{cluster.Port}}
            akka.remote.dot-netty.tcp.enable-ssl = {{(tls ? "on" : "off")}}
            akka.discovery.lan.class = "Lan.Actors.Cluster.LanServiceDiscovery, Lan.Actors.Cluster"
            akka.cluster.roles = [{{string.Join(", ", cluster.Roles.Select(role => System.Text.Json.JsonSerializer.Serialize(role)))}}]
            """);
}
