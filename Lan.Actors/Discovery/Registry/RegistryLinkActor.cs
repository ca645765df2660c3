using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Discovery.Registry;

/// <summary>The servers a registry lists now, told by a <see cref="RegistryLinkActor"/> to its discovery actor; the whole list each time.</summary>
internal sealed record RegistryListed(IReadOnlyList<ServerInfo> Servers);

/// <summary>Tells a registry link what to REGISTER from now on (a new META).</summary>
internal sealed record Reregister(RegisterNode Registration);

/// <summary>
/// A node's link to the registry, a child of its discovery actor. It keeps one TCP connection to
/// <c>lan.discovery.registry</c> through <see cref="Connectors"/> (reconnect with back-off, as a client node's),
/// sends REGISTER on connect and every announce interval when the node is a server or peer, and tells its
/// parent each REGISTRY_LIST as a <see cref="RegistryListed"/>. When the link is down for
/// <c>lan.discovery.expire-after</c>, it tells an empty list: what only the registry knew of is then lost.
/// </summary>
internal sealed class RegistryLinkActor : ReceiveActor, IWithTimers
{
    private const string RegisterTimer = "register";
    private const string StaleTimer = "stale";
    private const string ResolveTimer = "resolve";
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly DiscoverySettings _discovery;
    private readonly LanTcpSettings _tcp;
    private readonly ProtocolSettings _protocol;
    private readonly NodeSettings _node;
    // TLS mode: the registry is a node like any other, reached with the same handshake and trust.
    private readonly ConnectionSecurity? _security;
    private readonly RegistryEndPoint _registry;
    private RegisterNode? _registration;
    private Connectors _connectors = null!;
    private IActorRef? _connection;
    private IActorRef? _leaving;

    public RegistryLinkActor(DiscoverySettings discovery, LanTcpSettings tcp, ProtocolSettings protocol, NodeSettings node, RegistryEndPoint registry, RegisterNode? registration, ConnectionSecurity? security)
    {
        _security = security;
        _discovery = discovery;
        _tcp = tcp;
        _protocol = protocol;
        _node = node;
        _registry = registry;
        _registration = registration;
        Receive<Resolved>(resolved =>
        {
            if (_leaving is null)
            {
                _connectors.Connect(resolved.EndPoint, Self);
            }
        });
        Receive<Status.Failure>(failure =>
        {
            _log.Warning("cannot look up the registry {Registry}: {Reason}; trying again in {Wait}", _registry, failure.Cause.Message, _tcp.Reconnect.MaxBackoff);
            Timers.StartSingleTimer(ResolveTimer, Resolve.Instance, _tcp.Reconnect.MaxBackoff);
        });
        Receive<Resolve>(_ => StartResolving());
        // A failed connect attempt: the node tries again after its back-off; nothing to do until Connected.
        Receive<ConnectAttemptFailed>(_ => { });
        Receive<Connected>(connected =>
        {
            _connection = connected.Connection;
            Timers.Cancel(StaleTimer);
            _log.Debug("connected to the registry {Registry}", _registry);
            RegisterNow();
        });
        Receive<Identified>(_ => { });
        Receive<Received>(received => received.Packet.Type == RegistryList.PacketType, received => OnList(received.Packet));
        Receive<Received>(received => _log.Debug("ignored {Type} from the registry", received.Packet.Type));
        Receive<Disconnected>(disconnected =>
        {
            _connection = null;
            if (disconnected.Reason is DisconnectReason.Rejected or DisconnectReason.ProtocolError)
            {
                // Not retried: a registry of another app, or something that is no registry, at that address.
                _log.Warning("the registry {Registry} refused this node, which stops trying it: {Detail}", _registry, disconnected.Detail);
            }
            else
            {
                _log.Debug("lost the registry {Registry}: {Reason}", _registry, disconnected.Reason);
            }

            Timers.StartSingleTimer(StaleTimer, Stale.Instance, _discovery.ExpireAfter);
        });
        Receive<Stale>(_ => Context.Parent.Tell(new RegistryListed([])));
        Receive<RegisterTick>(_ => RegisterNow());
        Receive<Reregister>(update =>
        {
            _registration = update.Registration;
            RegisterNow();
        });
        Receive<SendRefused>(refused => _log.Debug("a REGISTER was not sent: {Reason}", refused.Reason));
        Receive<ForceStop>(force => Context.Stop(force.Connector));
        Receive<LeaveNetwork>(_ =>
        {
            // The node stops cleanly: DISCONNECT to the registry, so it sees this node leave rather than drop.
            _leaving = Sender;
            Timers.Cancel(RegisterTimer);
            Timers.Cancel(ResolveTimer);
            _connectors.DisconnectAll();
            AnswerIfLeft();
        });
        Receive<Terminated>(terminated =>
        {
            _connectors.Terminated(terminated.ActorRef);
            AnswerIfLeft();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="discovery">The node's discovery settings; <c>lan.discovery.registry</c> must be set.</param>
    /// <param name="tcp">The settings of the connection to the registry.</param>
    /// <param name="protocol">The frame limits of that connection.</param>
    /// <param name="node">Who this node says it is in the handshake.</param>
    /// <param name="registration">What a server or peer registers; null for a client, which only listens.</param>
    /// <param name="security">TLS and trust for the connection to the registry; null in open mode.</param>
    public static Props Create(DiscoverySettings discovery, LanTcpSettings tcp, ProtocolSettings protocol, NodeSettings node, RegisterNode? registration, ConnectionSecurity? security = null)
    {
        var registry = discovery.Registry ?? throw new ArgumentException("lan.discovery.registry is not set", nameof(discovery));
        return Props.Create(() => new RegistryLinkActor(discovery, tcp, protocol, node, registry, registration, security));
    }

    protected override void PreStart()
    {
        _connectors = new Connectors(Context, Timers, _tcp, _protocol, _node, _security);
        if (_registration is not null)
        {
            Timers.StartPeriodicTimer(RegisterTimer, RegisterTick.Instance, _discovery.AnnounceInterval);
        }

        StartResolving();
    }

    private void StartResolving()
    {
        if (IPAddress.TryParse(_registry.Host, out var address))
        {
            Self.Tell(new Resolved(new IPEndPoint(address, _registry.Port)));
            return;
        }

        var port = _registry.Port;
        Dns.GetHostAddressesAsync(_registry.Host).PipeTo(
            Self,
            success: addresses => addresses.Length == 0
                ? new Status.Failure(new SocketException((int)SocketError.HostNotFound))
                : new Resolved(new IPEndPoint(addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0], port)),
            failure: error => new Status.Failure(error));
    }

    private void AnswerIfLeft()
    {
        if (_leaving is not null && _connectors.Count == 0)
        {
            _leaving.Tell(LeftNetwork.Instance);
        }
    }

    private void RegisterNow()
    {
        if (_connection is not null && _registration is not null)
        {
            _connection.Tell(new Send(Packet.From(_registration)));
        }
    }

    private void OnList(Packet packet)
    {
        RegistryList list;
        try
        {
            list = packet.As<RegistryList>();
        }
        catch (ProtocolException e)
        {
            _log.Warning("dropped a REGISTRY_LIST with bad fields: {Reason}", e.Message);
            return;
        }

        var servers = new List<ServerInfo>();
        foreach (var entry in list.Servers ?? [])
        {
            if (entry?.Id is null || entry.Name is null || entry.App is null || entry.Port is < 1 or > IPEndPoint.MaxPort
                || !IPAddress.TryParse(entry.Host, out var host))
            {
                continue;
            }

            servers.Add(new ServerInfo(entry.Id, entry.Instance ?? "", entry.Name, entry.App, entry.Version, new IPEndPoint(host, entry.Port), entry.Meta ?? new Dictionary<string, string>()) { Source = ServerSource.Registry });
        }

        Context.Parent.Tell(new RegistryListed(servers));
    }

    private sealed record Resolved(IPEndPoint EndPoint);

    private sealed record Resolve
    {
        public static Resolve Instance { get; } = new();
    }

    private sealed record Stale
    {
        public static Stale Instance { get; } = new();
    }

    private sealed record RegisterTick
    {
        public static RegisterTick Instance { get; } = new();
    }
}
