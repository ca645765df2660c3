using System.Net;
using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Lan.Actors.Security;

namespace Lan.Actors.Discovery.Registry;

/// <summary>
/// The registry's handler (the second seed's ip_server), on a server node that listens on <c>lan.tcp</c>: it keeps
/// the nodes that REGISTER, each with the address its connection comes from unless it names a HOST, and sends
/// every connected node the whole REGISTRY_LIST on connect and whenever the list changes. A node leaves the
/// list when its connection ends, or when it has not registered for <c>lan.discovery.expire-after</c>
/// (a hung process whose socket is still open).
/// </summary>
/// <remarks>
/// What a host on the network can make it hold is bounded: an entry is listed only when it is no larger than a
/// SERVER_HELLO may be (<c>lan.protocol.max-datagram-size</c>), and the list holds at most as many entries as one frame
/// carries at that size (<c>lan.protocol.max-frame-size</c> ÷ max-datagram-size) and no more than
/// <c>lan.discovery.max-servers</c>, so the REGISTRY_LIST always fits one frame. A node that never reads its lists is
/// dropped by its connection (<c>SlowConsumer</c>), and every connection queues the same encoded list.
/// </remarks>
internal sealed class RegistryActor : ReceiveActor, IWithTimers
{
    private const string ExpiryTimer = "expiry";

    // A node registers itself; a few more per connection are allowed (a gateway), a flood of made-up ids is not.
    internal const int MaxPerConnection = 16;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TimeSpan _expireAfter;
    private readonly int _maxNodes;
    private readonly int _maxEntryBytes;
    private long _refused;
    private long _undelivered;
    private readonly LanClock _clock = LanClock.For(Context.System);
    private readonly Dictionary<IActorRef, PeerInfo> _connections = [];
    private readonly Dictionary<string, Registration> _nodes = new(StringComparer.Ordinal);
    private Send? _list;

    public RegistryActor(TimeSpan expireAfter, int maxNodes, int maxEntryBytes)
    {
        _expireAfter = expireAfter;
        _maxNodes = maxNodes;
        _maxEntryBytes = maxEntryBytes;
        Receive<Connected>(connected =>
        {
            _connections[connected.Connection] = connected.Peer;
            connected.Connection.Tell(CurrentList());
        });
        Receive<Identified>(_ => { });
        Receive<Received>(received => received.Packet.Type == RegisterNode.PacketType, received => OnRegister(received.Connection, received.Packet));
        Receive<Received>(received => _log.Debug("ignored {Type} from {Peer}", received.Packet.Type, received.Connection.Path.Name));
        Receive<Disconnected>(disconnected =>
        {
            _connections.Remove(disconnected.Connection);
            var gone = _nodes.Where(node => node.Value.Connection.Equals(disconnected.Connection)).Select(node => node.Key).ToList();
            RemoveAndPush(gone, "its connection ended");
        });
        Receive<ExpireSilent>(_ =>
        {
            var now = _clock.Now;
            var silent = _nodes.Where(node => now - node.Value.LastHeard >= _expireAfter.TotalMilliseconds).Select(node => node.Key).ToList();
            RemoveAndPush(silent, "it stopped registering");
        });
        Receive<SendRefused>(refused =>
        {
            if (DecadeLog.IsLogged(++_undelivered))
            {
                _log.Warning("a registry list was not delivered to a node: {Reason} ({Count} so far)", refused.Reason, _undelivered);
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of a registry whose limits follow from the node's settings (see the remarks).</summary>
    public static Props Create(TimeSpan expireAfter, ProtocolSettings protocol, int maxServers)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var maxNodes = Math.Max(1, Math.Min(maxServers, protocol.MaxFrameSize / protocol.MaxDatagramSize));
        return Props.Create(() => new RegistryActor(expireAfter, maxNodes, protocol.MaxDatagramSize));
    }

    protected override void PreStart() =>
        Timers.StartPeriodicTimer(ExpiryTimer, ExpireSilent.Instance, TimeSpan.FromTicks(Math.Max(_expireAfter.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks)));

    private void OnRegister(IActorRef connection, Packet packet)
    {
        RegisterNode register;
        try
        {
            register = packet.As<RegisterNode>();
        }
        catch (ProtocolException e)
        {
            _log.Debug("dropped a REGISTER with bad fields: {Reason}", e.Message);
            return;
        }

        if (register.Id is null || register.Instance is null || register.Name is null || register.App is null || register.Port is < 1 or > IPEndPoint.MaxPort
            || !_connections.TryGetValue(connection, out var peer))
        {
            _log.Debug("dropped a REGISTER without ID, INSTANCE, NAME, APP or a valid PORT");
            return;
        }

        // In TLS mode the connection proved its node's ID: it registers that node only, so nobody lists itself under
        // another's ID or overwrites another's entry (an open-mode peer is anon-N here, and not checked).
        if (NodeId.TryParse(peer.Id, out var proven, out _) && (!NodeId.TryParse(register.Id, out var claimed, out _) || !claimed.Equals(proven)))
        {
            if (DecadeLog.IsLogged(++_refused))
            {
                _log.Warning("{Peer} proved node {Proven} but registered {Id}: not listed; {Refused} registrations refused so far", peer.Name, proven, PeerText.ForDisplay(register.Id), _refused);
            }

            return;
        }

        if (!_nodes.TryGetValue(register.Id, out var known) && _nodes.Values.Count(node => node.Connection.Equals(connection)) >= MaxPerConnection)
        {
            if (DecadeLog.IsLogged(++_refused))
            {
                _log.Warning("{Peer} registers more than {Max} nodes on one connection; {Id} is not listed; {Refused} registrations refused so far", peer.Name, MaxPerConnection, register.Id, _refused);
            }

            return;
        }

        var host = register.Host is { Length: > 0 } named ? named : Seen(peer.EndPoint.Address).ToString();
        var entry = new RegistryEntry(register.Id, register.Instance, register.Name, register.App, host, register.Port, register.Version, register.Meta);
        if (Refusal(entry, known is null) is { } refusal)
        {
            if (DecadeLog.IsLogged(++_refused))
            {
                _log.Warning("{Peer}: {Id} is not listed: {Refusal}; {Refused} registrations refused so far", peer.Name, register.Id, refusal, _refused);
            }

            return;
        }

        var changed = known is null || !Same(known.Entry, entry);
        _nodes[register.Id] = new Registration(entry, connection, _clock.Now);
        if (changed)
        {
            _log.Info("{Name} ({Id}) registered at {Host}:{Port}", entry.Name, entry.Id, entry.Host, entry.Port);
            Push();
        }
    }

    private string? Refusal(RegistryEntry entry, bool isNew)
    {
        var size = JsonSerializer.SerializeToUtf8Bytes(entry, RegistryJsonContext.Default.RegistryEntry).Length;
        if (size > _maxEntryBytes)
        {
            return $"its entry is {size} bytes, more than a SERVER_HELLO may carry (lan.protocol.max-datagram-size = {_maxEntryBytes})";
        }

        return isNew && _nodes.Count >= _maxNodes
            ? $"the list holds {_maxNodes} nodes, all one frame carries (lan.protocol.max-frame-size, lan.discovery.max-servers)"
            : null;
    }

    private void RemoveAndPush(List<string> ids, string why)
    {
        foreach (var id in ids)
        {
            if (_nodes.Remove(id, out var gone))
            {
                _log.Info("{Name} ({Id}) left the registry: {Why}", gone.Entry.Name, id, why);
            }
        }

        if (ids.Count > 0)
        {
            Push();
        }
    }

    private void Push()
    {
        _list = null;
        var send = CurrentList();
        foreach (var connection in _connections.Keys)
        {
            connection.Tell(send);
        }
    }

    // One Send for every connection: the list is encoded once.
    private Send CurrentList() => _list ??= new Send(Packet.From(new RegistryList([.. _nodes.Values.Select(node => node.Entry).OrderBy(entry => entry.Id, StringComparer.Ordinal)])));

    private static IPAddress Seen(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static bool Same(RegistryEntry a, RegistryEntry b) =>
        a with { Meta = null } == b with { Meta = null } && SameMeta(a.Meta, b.Meta);

    private static bool SameMeta(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(entry => b!.TryGetValue(entry.Key, out var value) && value == entry.Value));

    private sealed record Registration(RegistryEntry Entry, IActorRef Connection, long LastHeard);

    private sealed record ExpireSilent
    {
        public static ExpireSilent Instance { get; } = new();
    }
}
