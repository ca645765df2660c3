using Akka.Actor;

namespace Lan.Actors.Cluster;

/// <summary>
/// The node IDs of the members of the cluster as this node last saw it, kept across a restart of its actor system: a
/// node that was downed may form the cluster again only when most of them are in sight and none of them is a member
/// (<see cref="JoinDecider"/>). Written by the join decider, read when the node starts again; thread-safe.
/// </summary>
internal sealed class ClusterMemory
{
    private readonly Lock _lock = new();
    private Dictionary<Address, string> _members = [];

    /// <summary>Replaces what is remembered with <paramref name="members"/> (each member's address and node ID).</summary>
    public void Remember(Dictionary<Address, string> members)
    {
        lock (_lock)
        {
            _members = members;
        }
    }

    /// <summary>The node ID remembered for a member at <paramref name="address"/>, if any.</summary>
    public string? IdOf(Address address)
    {
        lock (_lock)
        {
            return _members.GetValueOrDefault(address);
        }
    }

    /// <summary>The node IDs of the members last seen.</summary>
    public IReadOnlySet<string> NodeIds()
    {
        lock (_lock)
        {
            return _members.Values.ToHashSet(StringComparer.Ordinal);
        }
    }
}
