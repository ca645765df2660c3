using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Remote.Transport.DotNetty;
using Lan.Actors.Handlers;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Security;

namespace Lan.Actors.Cluster;

/// <summary>
/// A node that forms or joins an Akka.Cluster through LAN discovery, with no seed nodes: it is a LAN peer node (it announces
/// itself and hears the others) whose announcement carries its Akka remoting address and membership, and a join decider
/// that forms or joins the cluster from what discovery reports. Create it from the configuration, make the ActorSystem
/// with <see cref="CreateSystem"/> (or give <see cref="Config"/> and <see cref="Setups"/> to your own), then <see cref="StartAsync"/>.
/// </summary>
/// <remarks>
/// In TLS mode (the default) Akka remoting runs over mutual TLS with the node's own identity, and a node holds a remoting
/// connection only with nodes that announced themselves, signed, as nodes of this cluster and that the trust policy allows
/// (<c>pinned</c>: trusted IDs only). In open mode remoting is plaintext and unauthenticated, as the LAN connections are.
/// </remarks>
public sealed class LanClusterNode
{
    private readonly ClusterAdmission? _admission;
    // Outlives the actor system, and goes on to the node RejoinOnly makes: what a downed node knew of its cluster when it
    // starts again, also if it is downed again before it was a member again.
    private readonly ClusterMemory _memory;

    private LanClusterNode(HoconConfig config, LanNodeSettings settings, LanClusterSettings cluster, string hostname, ClusterAdmission? admission, ClusterMemory memory)
    {
        _memory = memory;
        Settings = settings;
        Cluster = cluster;
        Hostname = hostname;
        _admission = admission;
        Config = HoconConfig.Parse(LanClusterConfig.Overlay(cluster, hostname, admission is not null), "lan.cluster").WithFallback(config).Resolve();
        Setups = admission is null
            ? []
            : [new DotNettySslSetup(admission.Identity.Certificate, suppressValidation: false, requireMutualAuthentication: true, admission.Validate)];
    }

    /// <summary>The node's settings, its identity loaded (TLS mode).</summary>
    public LanNodeSettings Settings { get; }

    /// <summary><c>lan.cluster</c>.</summary>
    public LanClusterSettings Cluster { get; }

    /// <summary>The address Akka remoting binds and announces.</summary>
    public string Hostname { get; }

    /// <summary>The user's configuration with the cluster's Akka settings over it (provider, remoting address, TLS).</summary>
    public HoconConfig Config { get; }

    /// <summary>What the ActorSystem needs beside its configuration: Akka remoting's TLS with this node's identity (TLS mode).</summary>
    public IReadOnlyList<Setup> Setups { get; }

    /// <summary>Reads <c>lan.*</c> (with <c>lan.cluster</c>) and loads the node's identity.</summary>
    /// <exception cref="ConfigException">A setting is invalid.</exception>
    /// <exception cref="IdentityException">The identity cannot be read or created.</exception>
    /// <exception cref="InvalidOperationException"><c>lan.cluster.hostname = auto</c> found no interface.</exception>
    public static LanClusterNode FromConfig(HoconConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = LanNodeSettings.FromConfig(config).ForOneNode();
        var cluster = LanClusterSettings.FromConfig(config);
        var hostname = LanClusterConfig.Hostname(cluster, settings.Discovery);
        var admission = settings.ConnectionSecurity() is { } security
            ? new ClusterAdmission(security.Verifier, cluster.Name, settings.Discovery.MaxServers)
            : null;
        return new LanClusterNode(config, settings, cluster, hostname, admission, new ClusterMemory());
    }

    /// <summary>
    /// This node, only ever joining a cluster that exists (<c>lan.cluster.new-cluster-enabled = off</c>): for a node that
    /// was downed and starts again, so that it cannot form a second cluster while the network is still split. If the
    /// whole cluster was lost (more than half of the members this node last saw are in sight, none of them a member),
    /// the cluster is formed again by the same rules as at first.
    /// </summary>
    public LanClusterNode RejoinOnly() =>
        new(Config, Settings, Cluster with { NewClusterEnabled = false, FormerMembers = _memory.NodeIds() }, Hostname, _admission, _memory);

    /// <summary>Creates the ActorSystem for this node (every member of one cluster must use the same <paramref name="name"/>).</summary>
    public ActorSystem CreateSystem(string name = "lan-node")
    {
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(Config.ToAkkaConfig()));
        foreach (var extra in Setups)
        {
            setup = setup.And(extra);
        }

        return ActorSystem.Create(name, setup);
    }

    /// <summary>Props of a chat room that spans the cluster: a <see cref="ChatRoomHandler"/> joined to the same room on every node.</summary>
    public Props ChatRoom() => Props.Create(() => new ChatRoomHandler(ClusterRoomBridge.Create(Cluster.Name)));

    /// <summary>
    /// Starts the node in <paramref name="system"/> (made by <see cref="CreateSystem"/>, or with <see cref="Config"/> and
    /// <see cref="Setups"/>): the LAN peer node serving <paramref name="handler"/>, its announcement of the cluster, the
    /// join decider, and a line per membership event to <paramref name="membership"/> (also logged).
    /// </summary>
    /// <exception cref="ListenerBindException">The LAN listener could not bind.</exception>
    public async Task<LanPeer> StartAsync(ActorSystem system, Props handler, Action<string>? membership = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(handler);
        // The table and the decider listen before the node's discovery starts: the answers to its first CLIENT_HELLO
        // come within milliseconds, and discovery reports a server once, not again while it stays the same.
        LanServiceDiscovery.Watch(system);
        system.ActorOf(MembershipLog.Create(membership), "lan-cluster-membership");
        system.ActorOf(JoinDeciderActor.Create(Cluster, _admission, _memory, Settings.Node.Id), "lan-cluster-decider");
        var peer = await LanNode.StartPeerAsync(system, Settings, handler, "lan-cluster-node").ConfigureAwait(false);
        system.ActorOf(ClusterAnnouncer.Create(peer.Node, Cluster.Name, new Dictionary<string, string>(), rejoinOnly: !Cluster.NewClusterEnabled), "lan-cluster-announcer");
        return peer;
    }
}
