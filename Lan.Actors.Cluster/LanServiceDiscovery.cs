using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Discovery;
using Lan.Actors.Discovery;

namespace Lan.Actors.Cluster;

/// <summary>
/// Akka.Discovery answered from LAN discovery (<c>akka.discovery.method = lan</c>), so other Akka tooling can find nodes
/// the way lan-node does. A <see cref="Lookup"/> of a service name lists the servers discovery knows whose APP, node name
/// or cluster name (<see cref="MetaKeys.Group"/>) is that name: host = the address their datagrams came from, port =
/// their LAN port, or their Akka remoting port when the lookup's port name is <c>akka</c>.
/// </summary>
/// <remarks>
/// The table fills from the discovery of the LAN nodes running in the same ActorSystem, from the moment it starts
/// watching: <see cref="LanClusterNode"/> and <c>WithLanCluster</c> start it; otherwise call <see cref="Watch"/> before the node starts.
/// </remarks>
/// <param name="system">The ActorSystem, as Akka.Discovery passes it.</param>
public sealed class LanServiceDiscovery(ExtendedActorSystem system) : ServiceDiscovery
{
    private readonly LanDiscoveryTable _table = LanDiscoveryTable.For(system);

    /// <summary>The configuration path under which Akka.Discovery finds this class.</summary>
    public const string MethodName = "lan";

    /// <summary>The port name that asks for Akka remoting's port instead of the LAN port.</summary>
    public const string AkkaPortName = "akka";

    /// <summary>Starts filling the table that answers look-ups in <paramref name="actorSystem"/> (idempotent).</summary>
    public static void Watch(ActorSystem actorSystem) => LanDiscoveryTable.For((ExtendedActorSystem)actorSystem);

    /// <inheritdoc/>
    public override Task<Resolved> Lookup(Lookup lookup, TimeSpan resolveTimeout)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var targets = new List<ResolvedTarget>();
        foreach (var server in _table.Servers.OrderBy(server => server.Id, StringComparer.Ordinal))
        {
            if (!Serves(server, lookup.ServiceName))
            {
                continue;
            }

            int? port = server.EndPoint.Port;
            if (string.Equals(lookup.PortName, AkkaPortName, StringComparison.Ordinal))
            {
                port = server.Meta.TryGetValue(ClusterMeta.Akka, out var text) && Address.TryParse(text, out var address) ? address.Port : null;
                if (port is null)
                {
                    continue;
                }
            }

            targets.Add(new ResolvedTarget(server.EndPoint.Address.ToString(), port, server.EndPoint.Address));
        }

        return Task.FromResult(new Resolved(lookup.ServiceName, targets));
    }

    private static bool Serves(ServerInfo server, string name) =>
        string.Equals(server.App, name, StringComparison.Ordinal)
        || string.Equals(server.Name, name, StringComparison.Ordinal)
        || (server.Meta.TryGetValue(MetaKeys.Group, out var group) && string.Equals(group, name, StringComparison.Ordinal));
}

/// <summary>The servers the ActorSystem's discovery reports, kept for <see cref="LanServiceDiscovery"/>.</summary>
internal sealed class LanDiscoveryTable : IExtension
{
    private static readonly ConcurrentDictionary<ActorSystem, LanDiscoveryTable> Tables = new();
    private readonly ConcurrentDictionary<string, ServerInfo> _servers = new(StringComparer.Ordinal);

    private LanDiscoveryTable(ExtendedActorSystem system)
    {
        var watcher = system.SystemActorOf(Props.Create(() => new Watcher(this)), "lan-discovery-table");
        system.EventStream.Subscribe(watcher, typeof(ServerFound));
        system.EventStream.Subscribe(watcher, typeof(ServerUpdated));
        system.EventStream.Subscribe(watcher, typeof(ServerLost));
        system.WhenTerminated.ContinueWith(_ => Tables.TryRemove(system, out LanDiscoveryTable? _), TaskScheduler.Default);
    }

    public IEnumerable<ServerInfo> Servers => _servers.Values;

    public static LanDiscoveryTable For(ExtendedActorSystem system) => Tables.GetOrAdd(system, _ => new LanDiscoveryTable(system));

    private sealed class Watcher : ReceiveActor
    {
        public Watcher(LanDiscoveryTable table)
        {
            Receive<ServerFound>(found => table._servers[found.Server.Id] = found.Server);
            Receive<ServerUpdated>(updated => table._servers[updated.Server.Id] = updated.Server);
            Receive<ServerLost>(lost => table._servers.TryRemove(lost.Server.Id, out _));
        }
    }
}
