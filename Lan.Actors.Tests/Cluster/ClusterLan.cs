using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Lan.Actors.Cluster;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Xunit.Abstractions;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Lan.Actors.Tests.Cluster;

/// <summary>
/// Several LAN cluster nodes in this process, each an ActorSystem of its own on loopback, sharing one discovery port and
/// one cluster name that no other spec uses; every system is terminated when the spec ends.
/// </summary>
internal sealed class ClusterLan(string hocon = "") : IAsyncDisposable
{
    /// <summary>An ActorSystem with the cluster provider on loopback that joins nothing: for the specs of one node's parts.</summary>
    public const string AloneOnLoopback = """
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.loglevel = WARNING
        """;

    private readonly int _discoveryPort = LanTestConfiguration.FreeUdpPort();
    private readonly List<ClusterMemberNode> _nodes = [];

    public string Name { get; } = "spec-" + Guid.NewGuid().ToString("N")[..12];

    public IReadOnlyList<ClusterMemberNode> Nodes => _nodes;

    /// <summary>Where every node's log lines go, each with its node's name; a failure then says what each node decided.</summary>
    public ITestOutputHelper? Output { get; init; }

    /// <summary>Starts a node named <paramref name="name"/>, with <paramref name="more"/> HOCON over the lan's.</summary>
    public async Task<ClusterMemberNode> Start(string name, string more = "")
    {
        var config = LanTestConfiguration.Build($"""
            {more}
            {hocon}
            lan.node.name = "{name}"
            lan.discovery.port = {_discoveryPort}
            lan.tcp.port = 0
            lan.cluster.name = {Name}
            lan.cluster.stable-margin = 1s
            """);
        return await Run(name, LanClusterNode.FromConfig(config));
    }

    /// <summary>
    /// Stops <paramref name="node"/>'s actor system and starts the node again as one that was downed does
    /// (<see cref="LanClusterNode.RejoinOnly"/>), with what it remembers of its cluster.
    /// </summary>
    public async Task<ClusterMemberNode> StartAgain(ClusterMemberNode node)
    {
        var again = node.Cluster.RejoinOnly();
        await node.System.Terminate();
        return await Run(node.Name, again);
    }

    private async Task<ClusterMemberNode> Run(string name, LanClusterNode cluster)
    {
        var system = cluster.CreateSystem();
        if (Output is { } output)
        {
            system.EventStream.Subscribe(system.ActorOf(Props.Create(() => new NodeLog(name, output)), "spec-node-log"), typeof(LogEvent));
        }

        var node = new ClusterMemberNode(name, cluster, system);
        lock (_nodes)
        {
            _nodes.Add(node);
        }

        node.Peer = await cluster.StartAsync(system, cluster.ChatRoom());
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.System.Terminate();
        }
    }
}

/// <summary>One node of a <see cref="ClusterLan"/>.</summary>
internal sealed class ClusterMemberNode(string name, LanClusterNode cluster, ActorSystem system)
{
    public string Name { get; } = name;

    public LanClusterNode Cluster { get; } = cluster;

    public ActorSystem System { get; } = system;

    public LanPeer Peer { get; set; } = null!;

    public Address Address => AkkaCluster.Get(System).SelfAddress;

    public IReadOnlyList<Member> Up => [.. AkkaCluster.Get(System).State.Members.Where(member => member.Status == MemberStatus.Up)];

    /// <summary>The member that has been Up the longest: the one that formed the cluster.</summary>
    public Member? Oldest => Up.Count == 0 ? null : Up.Aggregate((a, b) => a.IsOlderThan(b) ? a : b);

    public override string ToString() => $"{Name} at {Address}: {Up.Count} up";
}

/// <summary>Writes one node's log events to the spec's output, prefixed with the node's name.</summary>
internal sealed class NodeLog : ReceiveActor
{
    public NodeLog(string name, ITestOutputHelper output) =>
        Receive<LogEvent>(logEvent =>
        {
            try
            {
                output.WriteLine($"{name}: {logEvent}");
            }
            catch (InvalidOperationException)
            {
                // The spec has ended: xunit no longer takes its output.
            }
        });
}
