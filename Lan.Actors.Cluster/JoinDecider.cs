using Akka.Actor;
using Akka.Cluster;

namespace Lan.Actors.Cluster;

/// <summary>What a node not yet in a cluster does next, and why (the reason is logged as it is).</summary>
internal abstract record JoinDecision(string Reason);

/// <summary>Join the cluster these members belong to.</summary>
internal sealed record JoinExisting(IReadOnlyList<Address> Seeds, string Reason) : JoinDecision(Reason);

/// <summary>Form a new cluster: join this node itself.</summary>
internal sealed record FormNew(string Reason) : JoinDecision(Reason);

/// <summary>Do nothing yet.</summary>
internal sealed record KeepWaiting(string Reason) : JoinDecision(Reason);

/// <summary>
/// The rules of Akka Management's Cluster Bootstrap, fed by LAN discovery instead of HTTP probes: a member in sight
/// is joined; otherwise, once enough contact points have stayed the same for the stable margin, the one with the lowest
/// address forms the cluster and the others wait to see it as a member. Every node applies the same rules to the same
/// view, so nodes that start together agree on one former.
/// </summary>
internal static class JoinDecider
{
    /// <param name="self">This node's remoting address.</param>
    /// <param name="others">The other nodes of the cluster's name that discovery reports.</param>
    /// <param name="stableFor">How long <paramref name="others"/> has been as it is.</param>
    /// <param name="settings"><c>lan.cluster</c>.</param>
    public static JoinDecision Decide(Address self, IReadOnlyCollection<ContactPoint> others, TimeSpan stableFor, LanClusterSettings settings)
    {
        var members = others.Where(point => point.IsMember).Select(point => point.Address).OrderBy(address => address, Member.AddressOrdering).ToList();
        if (members.Count > 0)
        {
            return new JoinExisting(members, $"{members.Count} member(s) of cluster {settings.Name} in sight: {string.Join(", ", members)}");
        }

        // A downed node that does not see most of the cluster it last knew says the cluster may run out of sight: its
        // memory may be newer than this node's (the cluster shrank after this node was downed), so nobody forms.
        if (others.Where(point => point.MayFormAgain == false).OrderBy(point => point.Address, Member.AddressOrdering).FirstOrDefault() is { } waits)
        {
            return new KeepWaiting($"no member of cluster {settings.Name} in sight, but {waits.Address} was downed and does not see most of the cluster it last knew, which may still run out of sight");
        }

        var again = "";
        if (!settings.NewClusterEnabled)
        {
            if (settings.FormerMembers.Count == 0)
            {
                return new KeepWaiting($"no member of cluster {settings.Name} in sight, and this node only joins a cluster that exists (lan.cluster.new-cluster-enabled = off)");
            }

            // No member is in sight here (one would have been joined above), so the count alone decides.
            var (inSight, former) = FormerMembersInSight(others, settings);
            if (inSight * 2 <= former)
            {
                return new KeepWaiting($"no member of cluster {settings.Name} in sight, and only {inSight} of the {former} members it last had: this node was downed and forms the cluster again only with most of them");
            }

            again = $", and {inSight} of the {former} members it last had are in sight with none a member: the whole cluster was lost, so it is formed again";
        }

        var count = others.Count + 1;
        if (count < settings.RequiredContactPoints)
        {
            return new KeepWaiting($"{count} contact point(s) of cluster {settings.Name}, {settings.RequiredContactPoints} needed to form it (lan.cluster.required-contact-points)");
        }

        if (stableFor < settings.StableMargin)
        {
            return new KeepWaiting($"{count} contact point(s) of cluster {settings.Name}, waiting until they have not changed for {settings.StableMargin.TotalSeconds:0.###} s (lan.cluster.stable-margin)");
        }

        var lowest = others.Select(point => point.Address).Append(self).Min(Member.AddressOrdering)!;
        return lowest.Equals(self)
            ? new FormNew($"no cluster {settings.Name} in sight and this node has the lowest address of {count} contact point(s){again}")
            : new KeepWaiting($"no cluster {settings.Name} in sight; {lowest} has the lowest address of {count} contact point(s) and forms it{again}");
    }

    /// <summary>
    /// Whether this node, downed and rejoin-only, would let the cluster form again: the cluster it left must be gone as a
    /// whole. More than half of its last members in sight, none a member, means no majority of them runs it out of
    /// sight; every downed node in sight must say the same from its own memory (its <see cref="ContactPoint.MayFormAgain"/>).
    /// </summary>
    public static bool MayFormAgain(IReadOnlyCollection<ContactPoint> others, LanClusterSettings settings)
    {
        var (inSight, former) = FormerMembersInSight(others, settings);
        return former > 0 && inSight * 2 > former && !others.Any(point => point.IsMember);
    }

    // This node counts as one of its own former members.
    private static (int InSight, int Former) FormerMembersInSight(IReadOnlyCollection<ContactPoint> others, LanClusterSettings settings) =>
        (others.Count(point => settings.FormerMembers.Contains(point.NodeId)) + 1, settings.FormerMembers.Count);
}
