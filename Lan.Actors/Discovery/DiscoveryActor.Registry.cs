using Lan.Actors.Protocol;
using Lan.Actors.Discovery.Registry;

namespace Lan.Actors.Discovery;

// The registry as a second source of servers: the same table as broadcast, keyed by node id, so a server known
// from both is one server, found once and lost only when neither source has it any more.
internal sealed partial class DiscoveryActor
{
    private const int MaxByeInstances = 256;

    private RegisterNode Registration() =>
        new(_node.Id, _instance, _node.Name, _node.App, _tcpPort, PacketTypes.ProtocolVersion, _meta.Count == 0 ? null : _meta);

    private void OnRegistryListed(RegistryListed listed)
    {
        if (!IsClient)
        {
            return;
        }

        var listedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var server in listed.Servers)
        {
            if (server.Id == _node.Id || server.App != _node.App || _byeInstances.Contains(server.Instance))
            {
                continue;
            }

            listedIds.Add(server.Id);
            if (!_servers.TryGetValue(server.Id, out var known))
            {
                if (!HasRoomForAnotherServer(server))
                {
                    continue;
                }

                _servers[server.Id] = new Known(server, 0, Heard: false, Listed: true);
                Report(new ServerFound(server));
                continue;
            }

            if (known.Heard)
            {
                // Broadcast hears it too, and its view (the address on this network) is kept.
                _servers[server.Id] = known with { Listed = true };
                continue;
            }

            _servers[server.Id] = known with { Server = server, Listed = true };
            var restarted = known.Server.Instance != server.Instance;
            if (restarted || !known.Server.EndPoint.Equals(server.EndPoint) || !SameMeta(known.Server.Meta, server.Meta) || known.Server.Name != server.Name)
            {
                Report(new ServerUpdated(server, restarted));
            }
        }

        foreach (var (id, known) in _servers.ToList())
        {
            if (!known.Listed || listedIds.Contains(id))
            {
                continue;
            }

            if (known.Heard)
            {
                _servers[id] = known with { Listed = false };
                continue;
            }

            // Gone from the registry (its connection ended, or it stopped registering) and not heard by broadcast.
            _servers.Remove(id);
            Report(new ServerLost(known.Server, ServerLostReason.Expired));
        }
    }

    private void RememberBye(string instance)
    {
        if (instance.Length == 0 || !_byeInstances.Add(instance))
        {
            return;
        }

        _byeOrder.Enqueue(instance);
        if (_byeOrder.Count > MaxByeInstances)
        {
            _byeInstances.Remove(_byeOrder.Dequeue());
        }
    }
}
