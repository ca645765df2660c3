using Akka.Actor;
using Lan.Actors.Cluster;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Security;
using Lan.Node.Hosting;
using Lan.Node.Logging;

namespace Lan.Node.Commands;

/// <summary><c>lan-node server --cluster</c>: a member of the LAN cluster, started again whenever the cluster downs it.</summary>
public static partial class ServerCommand
{
    /// <summary>
    /// Runs a cluster member until <paramref name="stop"/> fires (Ctrl+C, SIGTERM): a LAN peer serving the cluster-wide
    /// chat room, a line on <paramref name="output"/> per membership event. A member the Split Brain Resolver downs
    /// terminates its ActorSystem, as Akka.Cluster requires; this starts a new one that only joins a cluster that exists,
    /// so that a minority side rejoins the majority once the network heals and never forms a second cluster.
    /// </summary>
    public static async Task<int> RunClusterAsync(HoconConfig config, TextWriter output, TextWriter error, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        LanClusterNode node;
        try
        {
            node = LanClusterNode.FromConfig(config);
        }
        catch (Exception e) when (e is ConfigException or IdentityException or InvalidOperationException)
        {
            await error.WriteLineAsync($"lan-node: {e.Message}").ConfigureAwait(false);
            return e is ConfigException ? ExitCodes.BadUsage : ExitCodes.Failed;
        }

        using var logger = ProcessLogging.Configure(config);
        var lines = TextWriter.Synchronized(output);
        while (true)
        {
            var system = node.CreateSystem();
            var shutdown = CoordinatedShutdown.Get(system);
            try
            {
                var peer = await node.StartAsync(system, node.ChatRoom(), lines.WriteLine).ConfigureAwait(false);
                await lines.WriteLineAsync(
                    $"{node.Settings.Node.Name} listening on {peer.LocalEndPoint}; cluster {node.Cluster.Name} at {Akka.Cluster.Cluster.Get(system).SelfAddress}; Ctrl+C stops it").ConfigureAwait(false);
            }
            catch (ListenerBindException e)
            {
                await error.WriteLineAsync($"lan-node: {e.Message}").ConfigureAwait(false);
                await system.Terminate().ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            await using (stop.Register(() => shutdown.Run(CoordinatedShutdown.ClrExitReason.Instance)))
            {
                await system.WhenTerminated.ConfigureAwait(false);
            }

            if (stop.IsCancellationRequested)
            {
                return ExitCodes.Done;
            }

            if (shutdown.ShutdownReason is not CoordinatedShutdown.ClusterDowningReason)
            {
                await error.WriteLineAsync($"lan-node: the node stopped ({shutdown.ShutdownReason?.ToString() ?? "no reason given"}); see the log above").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            await lines.WriteLineAsync("this node was downed (the cluster lost sight of it); starting again to rejoin the cluster once it can reach it").ConfigureAwait(false);
            node = node.RejoinOnly();
        }
    }
}
