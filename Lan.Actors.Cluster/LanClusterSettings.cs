using Lan.Actors.Hocon;

namespace Lan.Actors.Cluster;

/// <summary><c>lan.cluster</c>: how a node forms or joins an Akka.Cluster found by LAN discovery.</summary>
/// <param name="Name">The cluster's name: nodes announcing the same one form one cluster; it is also the name of its chat room.</param>
/// <param name="Hostname">The address Akka remoting binds and announces; <c>auto</c> chooses one (see <see cref="LanClusterConfig"/>).</param>
/// <param name="Port">Akka remoting's TCP port; 0 lets the OS choose.</param>
/// <param name="StableMargin">How long the contact points must stay the same before a new cluster is formed.</param>
/// <param name="RequiredContactPoints">Contact points, this node counted, needed before a new cluster is formed.</param>
/// <param name="NewClusterEnabled">False: only ever join a cluster that exists (a node that was downed rejoins, never forms).</param>
/// <param name="Roles">The member's Akka.Cluster roles.</param>
public sealed record LanClusterSettings(
    string Name, string Hostname, int Port, TimeSpan StableMargin, int RequiredContactPoints, bool NewClusterEnabled, IReadOnlyList<string> Roles)
{
    /// <summary>
    /// The node IDs of the cluster this node was a member of before it was downed, this node's among them; empty for a
    /// node that starts afresh. A rejoin-only node (<see cref="NewClusterEnabled"/> off) may form the cluster again
    /// only when more than half of them are in sight and none is a member: the whole cluster was lost, not split.
    /// </summary>
    internal IReadOnlySet<string> FormerMembers { get; init; } = new HashSet<string>();

    /// <summary>The path of these settings.</summary>
    public const string RootKey = "lan.cluster";

    /// <summary>The longest cluster name: it travels in every announcement.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Reads <c>lan.cluster</c> from a resolved configuration (<see cref="Nodes.LanConfiguration"/>).</summary>
    /// <exception cref="ConfigException">A setting is missing or invalid; the message says file:line: path and what to write.</exception>
    public static LanClusterSettings FromConfig(HoconConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var read = new SettingsReader(config, RootKey);
        var name = read.String("name");
        if (name.Length is 0 or > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw read.Invalid("name", $"expected 1 to {MaxNameLength} letters, digits, '-', '_' or '.', got \"{name}\"");
        }

        var hostname = read.String("hostname");
        if (hostname.Length == 0)
        {
            throw read.Invalid("hostname", "expected auto or the IPv4 address other nodes reach this one at, e.g. 10.0.0.5");
        }

        return new LanClusterSettings(
            name,
            hostname,
            read.Port("port", allowEphemeral: true),
            read.PositiveDuration("stable-margin"),
            read.Int("required-contact-points", 1, 1000),
            read.Boolean("new-cluster-enabled"),
            config.GetStringList(RootKey + ".roles"));
    }
}
