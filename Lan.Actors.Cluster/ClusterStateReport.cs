using System.Text.Json.Serialization;
using Akka.Cluster;
using Lan.Actors.Protocol;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Lan.Actors.Cluster;

/// <summary>A member as <see cref="ClusterStateReport"/> lists it.</summary>
/// <param name="Address">Its Akka remoting address.</param>
/// <param name="Status">Joining, Up, Leaving, Exiting, Down, Removed or WeaklyUp.</param>
/// <param name="Roles">Its roles.</param>
public sealed record ClusterMemberReport(string Address, string Status, IReadOnlyList<string> Roles);

/// <summary>
/// A node's view of its cluster: what <c>CLUSTER_STATE</c> answers over a LAN connection and <c>lan-node cluster</c> prints.
/// </summary>
/// <param name="Cluster">The cluster's name (<c>lan.cluster.name</c>).</param>
/// <param name="Self">The answering node's address.</param>
/// <param name="Leader">The leader's address; empty when there is none.</param>
/// <param name="Members">Every member, in address order.</param>
/// <param name="Unreachable">The addresses of members the answering node's failure detector marks unreachable.</param>
public sealed record ClusterStateReport(string Cluster, string Self, string Leader, IReadOnlyList<ClusterMemberReport> Members, IReadOnlyList<string> Unreachable)
{
    /// <summary>The packet TYPE that asks for the report, and that carries it back.</summary>
    public const string PacketType = "CLUSTER_STATE";

    /// <summary>The most members a report lists: it must fit one packet however large the cluster.</summary>
    public const int MaxMembers = 1000;

    /// <summary>The report of <paramref name="cluster"/> as this node sees it now.</summary>
    public static ClusterStateReport Of(AkkaCluster cluster, string name)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var state = cluster.State;
        return new ClusterStateReport(
            name,
            cluster.SelfAddress.ToString(),
            state.Leader?.ToString() ?? "",
            [.. state.Members.Take(MaxMembers).Select(member => new ClusterMemberReport(member.Address.ToString(), member.Status.ToString(), [.. member.Roles.Order(StringComparer.Ordinal)]))],
            [.. state.Unreachable.Take(MaxMembers).Select(member => member.Address.ToString())]);
    }

    /// <summary>This report as a <c>CLUSTER_STATE</c> packet: CLUSTER, SELF, LEADER, MEMBERS [{ADDRESS, STATUS, ROLES}], UNREACHABLE.</summary>
    public Packet ToPacket() =>
        Packet.Create(PacketType)
            .Set("CLUSTER", Cluster)
            .Set("SELF", Self)
            .Set("LEADER", Leader)
            .Set("MEMBERS", [.. Members], ClusterWireJson.Default.ListClusterMemberReport)
            .Set("UNREACHABLE", [.. Unreachable], ClusterWireJson.Default.ListString)
            .Build();

    /// <summary>Reads a <c>CLUSTER_STATE</c> answer; null when it is not one, or is malformed.</summary>
    public static ClusterStateReport? FromPacket(Packet packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (packet.Type != PacketType
            || !packet.TryGet<string>("CLUSTER", out var cluster) || !packet.TryGet<string>("SELF", out var self) || !packet.TryGet<string>("LEADER", out var leader)
            || !packet.TryGet("MEMBERS", ClusterWireJson.Default.ListClusterMemberReport, out var members)
            || !packet.TryGet("UNREACHABLE", ClusterWireJson.Default.ListString, out var unreachable)
            || members.Any(member => member is null || member.Address is null || member.Status is null || member.Roles is null))
        {
            return null;
        }

        return new ClusterStateReport(cluster, self, leader, members, unreachable);
    }
}

/// <summary>The wire's names: ADDRESS, STATUS, ROLES, as every field of the protocol.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseUpper)]
[JsonSerializable(typeof(List<ClusterMemberReport>))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class ClusterWireJson : JsonSerializerContext;
