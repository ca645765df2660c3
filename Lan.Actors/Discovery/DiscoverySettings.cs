using System.Net;
using System.Net.Sockets;
using Lan.Actors.Hocon;
using Lan.Actors.Discovery.Registry;
using Lan.Actors.Io;

namespace Lan.Actors.Discovery;

/// <summary>UDP discovery (<c>lan.discovery</c>), read and checked once at start-up.</summary>
/// <param name="Enabled">False when the node sends and hears no discovery traffic.</param>
/// <param name="Mode">Broadcast on a well-known port, or the seed's port sweep.</param>
/// <param name="Port">The well-known UDP port of broadcast mode.</param>
/// <param name="BindAddress">Address the discovery socket binds.</param>
/// <param name="BroadcastAddress">Where hellos and announcements are sent; null for <c>auto</c>: the limited
/// broadcast plus the directed broadcast of every up IPv4 interface (see <see cref="BroadcastTargets"/>).</param>
/// <param name="AnnounceInterval">How often servers announce themselves.</param>
/// <param name="ExpireAfter">Silence after which a server is reported lost; longer than <paramref name="AnnounceInterval"/>.</param>
/// <param name="ReplyUnicast">Whether servers answer a hello directly to its sender.</param>
/// <param name="Sweep">The port range and pace of sweep mode.</param>
/// <param name="RepliesPerSource">CLIENT_HELLOs a server answers per second from one sender address (whatever its source port).</param>
/// <param name="RepliesTotal">CLIENT_HELLOs a server answers per second from all senders together.</param>
/// <param name="Interfaces">With <c>auto</c>, the network interfaces to broadcast on by name; empty for every up one.</param>
public sealed record DiscoverySettings(
    bool Enabled,
    DiscoveryMode Mode,
    int Port,
    IPAddress BindAddress,
    IPAddress? BroadcastAddress,
    TimeSpan AnnounceInterval,
    TimeSpan ExpireAfter,
    bool ReplyUnicast,
    SweepSettings Sweep,
    int RepliesPerSource,
    int RepliesTotal,
    IReadOnlyList<string> Interfaces)
{
    /// <summary>
    /// The registry this node reports itself to and learns servers from (<c>lan.discovery.registry</c>), for networks
    /// broadcast does not cross; null when none is configured.
    /// </summary>
    public RegistryEndPoint? Registry { get; init; }

    /// <summary>
    /// The back-off before a failed discovery actor (its UDP socket broke) is started again (<c>lan.discovery.restart</c>);
    /// the node's TCP side carries on meanwhile.
    /// </summary>
    public ReconnectSettings Restart { get; init; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), 0.2);

    /// <summary>
    /// The most servers the table holds (<c>lan.discovery.max-servers</c>): past it a newly heard or listed server is ignored
    /// until one leaves or expires, so forged SERVER_HELLOs cannot grow it without bound.
    /// </summary>
    public int MaxServers { get; init; } = 1024;

    /// <summary>The root key these settings are read from.</summary>
    public const string RootKey = "lan.discovery";

    /// <summary>Reads <c>lan.discovery</c> from <paramref name="config"/> (which should have reference.conf as a fallback).</summary>
    /// <exception cref="ConfigException">A setting is missing, of the wrong type or out of range; the message names it.</exception>
    public static DiscoverySettings FromConfig(HoconConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var read = new SettingsReader(config, RootKey);
        var mode = read.String("mode") switch
        {
            "broadcast" => DiscoveryMode.Broadcast,
            "sweep" => DiscoveryMode.Sweep,
            var other => throw read.Invalid("mode", $"expected broadcast or sweep, got \"{other}\""),
        };

        var bind = read.Address("bind-address");
        var broadcast = read.String("broadcast-address") == "auto" ? null : read.Address("broadcast-address");
        if (broadcast is not null && broadcast.AddressFamily != AddressFamily.InterNetwork)
        {
            throw read.Invalid("broadcast-address", $"must be auto or an IPv4 address such as 127.255.255.255 (IPv6 has no broadcast), got {broadcast}");
        }

        var interval = read.PositiveDuration("announce-interval");
        var expireAfter = read.PositiveDuration("expire-after");
        if (expireAfter <= interval)
        {
            throw read.Invalid("expire-after", $"must be longer than {read.Path("announce-interval")} ({DurationFormat.Format(interval)}), or servers would expire between announcements; got {DurationFormat.Format(expireAfter)}");
        }

        var registryText = read.String("registry");
        RegistryEndPoint? registry = null;
        if (registryText.Length > 0 && !RegistryEndPoint.TryParse(registryText, out registry, out var problem))
        {
            throw read.Invalid("registry", $"expected host:port such as 10.8.0.1:47900, or \"\" for none: {problem}; got \"{registryText}\"");
        }

        return new DiscoverySettings(
            read.Boolean("enabled"),
            mode,
            read.Port("port", allowEphemeral: false),
            bind,
            broadcast,
            interval,
            expireAfter,
            read.Boolean("reply-unicast"),
            SweepSettings.FromConfig(config, RootKey + ".sweep"),
            read.Int("replies-per-source", 1, 1_000_000),
            read.Int("replies-total", 1, 1_000_000),
            config.GetStringList(RootKey + ".interfaces"))
        {
            Registry = registry,
            Restart = ReconnectSettings.FromConfig(config, RootKey + ".restart"),
            MaxServers = read.Int("max-servers", 1, 1_000_000),
        };
    }
}
