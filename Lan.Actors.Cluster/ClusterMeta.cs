using System.Globalization;
using Akka.Actor;
using Lan.Actors.Discovery;

namespace Lan.Actors.Cluster;

/// <summary>
/// What a clustering node adds to its discovery META (docs/PROTOCOL.md): the cluster's name (<see cref="MetaKeys.Group"/>),
/// its Akka remoting address, whether it is a member, and its load (<see cref="MetaKeys.Load"/>).
/// </summary>
internal static class ClusterMeta
{
    /// <summary>The node's Akka remoting address, e.g. <c>akka.tcp://lan-node@10.0.0.5:40123</c>.</summary>
    public const string Akka = "akka";

    /// <summary><c>up</c> while the node is an Up member of the cluster; absent otherwise.</summary>
    public const string Member = "member";

    /// <summary>
    /// Present while the node was downed and only rejoins: <see cref="MayForm"/> when it sees most of the cluster it last
    /// knew out of the cluster (so it may be formed again), <see cref="Waits"/> when the cluster may still run out of its sight.
    /// </summary>
    public const string Downed = "downed";

    /// <summary>The <see cref="Downed"/> value of a node that would let the cluster form again.</summary>
    public const string MayForm = "may-form";

    /// <summary>The <see cref="Downed"/> value of a node that would not.</summary>
    public const string Waits = "waits";

    /// <summary>The longest address accepted from a peer.</summary>
    private const int MaxAddressLength = 200;

    /// <summary>The node's META: <paramref name="own"/> (the user's) with the cluster's keys over it.</summary>
    /// <param name="own">The user's META.</param>
    /// <param name="cluster">The cluster's name.</param>
    /// <param name="self">This node's remoting address.</param>
    /// <param name="isMember">True while this node is an Up member.</param>
    /// <param name="load">The connections it holds.</param>
    /// <param name="mayFormAgain">For a downed node that only rejoins, whether it would let the cluster form again; null otherwise.</param>
    public static IReadOnlyDictionary<string, string> Of(IReadOnlyDictionary<string, string> own, string cluster, Address self, bool isMember, int load, bool? mayFormAgain = null)
    {
        var meta = new Dictionary<string, string>(own, StringComparer.Ordinal)
        {
            [MetaKeys.Group] = cluster,
            [Akka] = self.ToString(),
            [MetaKeys.Load] = load.ToString(CultureInfo.InvariantCulture),
        };
        if (isMember)
        {
            meta[Member] = "up";
        }
        else
        {
            meta.Remove(Member);
        }

        if (mayFormAgain is { } verdict && !isMember)
        {
            meta[Downed] = verdict ? MayForm : Waits;
        }
        else
        {
            meta.Remove(Downed);
        }

        return meta;
    }

    /// <summary>The contact point a server's announcement describes, or null when it is no node of <paramref name="cluster"/>.</summary>
    /// <param name="server">As discovery reported it.</param>
    /// <param name="cluster">The cluster this node belongs to.</param>
    /// <param name="systemName">This node's ActorSystem name: members of one cluster share it.</param>
    public static ContactPoint? ContactPointOf(ServerInfo server, string cluster, string systemName)
    {
        if (!server.Meta.TryGetValue(MetaKeys.Group, out var group) || !string.Equals(group, cluster, StringComparison.Ordinal)
            || !server.Meta.TryGetValue(Akka, out var text) || text.Length > MaxAddressLength)
        {
            return null;
        }

        Address address;
        try
        {
            address = Address.Parse(text);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            return null;
        }

        // A peer may only name an address on the host its datagrams come from: it cannot point this node at a third.
        if (address.Host is null || address.Port is null or <= 0 || !string.Equals(address.System, systemName, StringComparison.Ordinal)
            || !string.Equals(address.Host, server.EndPoint.Address.ToString(), StringComparison.Ordinal))
        {
            return null;
        }

        var member = server.Meta.TryGetValue(Member, out var status) && string.Equals(status, "up", StringComparison.Ordinal);
        bool? mayFormAgain = server.Meta.TryGetValue(Downed, out var downed) ? string.Equals(downed, MayForm, StringComparison.Ordinal) : null;
        return new ContactPoint(server.Id, server.Name, address, member) { MayFormAgain = mayFormAgain };
    }
}

/// <summary>A node of the cluster as discovery reports it.</summary>
/// <param name="NodeId">Its node ID (in TLS mode, proven by its signed announcement).</param>
/// <param name="Name">Its node name.</param>
/// <param name="Address">Its Akka remoting address.</param>
/// <param name="IsMember">True while it says it is an Up member.</param>
internal sealed record ContactPoint(string NodeId, string Name, Address Address, bool IsMember)
{
    /// <summary>For a node that was downed and only rejoins, whether it would let the cluster form again; null for any other.</summary>
    public bool? MayFormAgain { get; init; }
}
