using Akka.Actor;
using Akka.Hosting;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;

namespace Lan.Actors.Cluster;

/// <summary>The key under which a LAN cluster node sits in Akka.Hosting's <see cref="ActorRegistry"/>.</summary>
public sealed class LanClusterMember;

/// <summary>Forms a LAN cluster from an Akka.Hosting application, in the style of Akka.Cluster.Hosting's <c>WithClustering</c>.</summary>
public static class LanClusterHostingExtensions
{
    /// <summary>
    /// Makes the ActorSystem a member of the LAN cluster <c>lan.cluster.name</c>, formed or joined through discovery with no
    /// seed nodes: <c>services.AddAkka("lan-node", b => b.WithLanCluster(LanConfiguration.Load("app.conf")))</c>. The
    /// cluster provider, remoting on the LAN address (mutual TLS with the node's identity in TLS mode), keep-majority Split
    /// Brain Resolver and <c>akka.discovery.method = lan</c>'s provider are configured; a LAN peer node serving
    /// <paramref name="handler"/> (the cluster-wide chat room when null) announces the node, and is in the
    /// <see cref="ActorRegistry"/> under <see cref="LanClusterMember"/> once it listens.
    /// </summary>
    /// <remarks>
    /// Every member must use the same ActorSystem name. A member that the Split Brain Resolver downs terminates its
    /// ActorSystem, as Akka.Cluster requires, and Akka.Hosting then stops the application: run it under a supervisor that
    /// restarts it (systemd, a container runtime), as lan-node restarts its own system.
    /// </remarks>
    /// <param name="builder">Akka.Hosting's builder.</param>
    /// <param name="config">A resolved configuration (<see cref="LanConfiguration.Load(string?)"/>) with <c>lan.cluster</c>.</param>
    /// <param name="handler">Props of the handler of the node's LAN connections; null for <see cref="LanClusterNode.ChatRoom"/>.</param>
    /// <exception cref="ConfigException">A <c>lan.*</c> setting is invalid; thrown here, before the host starts.</exception>
    public static AkkaConfigurationBuilder WithLanCluster(this AkkaConfigurationBuilder builder, HoconConfig config, Props? handler = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var node = LanClusterNode.FromConfig(config);
        builder.AddHocon(node.Config.ToAkkaConfig(), HoconAddMode.Prepend);
        foreach (var setup in node.Setups)
        {
            builder.AddSetup(setup);
        }

        return builder.AddStartup(async (system, registry) =>
            registry.Register<LanClusterMember>((await node.StartAsync(system, handler ?? node.ChatRoom()).ConfigureAwait(false)).Node));
    }
}
