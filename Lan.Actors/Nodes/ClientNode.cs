using System.Net;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Security;
using Lan.Actors.Io;
using Lan.Actors.Discovery;

namespace Lan.Actors.Nodes;

/// <summary>The guardian of a client: the user's handler and one connector per server (see <see cref="Connectors"/>).</summary>
internal sealed class ClientNode : ReceiveActor, IWithTimers
{
    private readonly Props _handlerProps;
    private readonly LanNodeSettings _settings;
    private Connectors _connectors = null!;
    private IActorRef _handler = ActorRefs.Nobody;
    private IActorRef _discovery = ActorRefs.Nobody;
    private bool _stopping;
    private bool _discoveryLeft;
    private bool _handlerStopping;
    private ServerInfo? _chosen;
    // Wanted servers discovery reports, to pick the least loaded of a group, and another when the chosen one is lost.
    private readonly Dictionary<string, ServerInfo> _candidates = new(StringComparer.Ordinal);
    private bool _settling;

    // How long a client that hears of a server announcing its load waits for the others of its group before it chooses:
    // the answers to one CLIENT_HELLO arrive within milliseconds of each other.
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(300);
    private readonly ConnectionSecurity? _security;
    private const int MaxRefusedIds = 1024;
    private readonly HashSet<string> _refusedIds = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ClientNode(LanNodeSettings settings, Props handlerProps)
    {
        _settings = settings;
        _security = settings.ConnectionSecurity();
        _handlerProps = handlerProps;
        Receive<ConnectTo>(connect =>
        {
            if (!_stopping)
            {
                _connectors.Connect(connect.Server, _handler, connect.Expected);
            }
        });
        Receive<DisconnectFrom>(disconnect => _connectors.Disconnect(disconnect.Server));
        Receive<ServerFound>(found => Heard(found.Server));
        Receive<ServerUpdated>(updated => Heard(updated.Server));
        Receive<ChooseNow>(_ =>
        {
            _settling = false;
            ChooseBest();
        });
        Receive<ServerLost>(lost =>
        {
            _candidates.Remove(lost.Server.Id);
            if (_chosen?.Id == lost.Server.Id)
            {
                // A server that said BYE closes its connections itself, and they should end as ServerClosed, not as
                // our own choice: the connector is retired only once that has had time to happen, so it stops
                // retrying a server that is gone, unless the server is found again first.
                Timers.StartSingleTimer(ForgetKey(_chosen.EndPoint), new ForgetServer(_chosen.EndPoint), _settings.Tcp.CloseTimeout);
                _chosen = null;
                // Another server of its group (if any) takes over at once: the user asked for the group, not that server.
                ChooseBest();
            }
        });
        Receive<ForgetServer>(forget => _connectors.Disconnect(forget.EndPoint));
        Receive<ForceStop>(force => Context.Stop(force.Connector));
        Receive<Terminated>(terminated =>
        {
            if (terminated.ActorRef.Equals(_handler))
            {
                Context.Stop(Self);
                return;
            }

            _connectors.Terminated(terminated.ActorRef);
            StopIfDone();
        });
        Receive<KillNode>(_ =>
        {
            _stopping = true;
            _discoveryLeft = true; // a killed process says no goodbye to the registry either
            _connectors.AbortAll();
            StopIfDone();
        });
        Receive<StopNode>(_ =>
        {
            _stopping = true;
            // The registry link (if any) says DISCONNECT too; a discovery between two restarts does not hold the stop up.
            _discoveryLeft = _discovery.IsNobody();
            _discovery.Tell(LeaveNetwork.Instance);
            Timers.StartSingleTimer("stop", StopTimedOut.Instance, _settings.Tcp.CloseTimeout + TimeSpan.FromSeconds(1));
            _connectors.DisconnectAll();
            StopIfDone();
        });
        Receive<LeftNetwork>(_ =>
        {
            _discoveryLeft = true;
            StopIfDone();
        });
        Receive<StopTimedOut>(_ =>
        {
            _discoveryLeft = true;
            StopIfDone();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    // The user's handler is restarted when it throws, loudly and up to lan.handler's budget (past it the node stops);
    // connectors and discovery as Akka's default strategy would.
    protected override SupervisorStrategy SupervisorStrategy() =>
        new HandlerSupervision(_settings.Handler, child => child.Equals(_handler), Akka.Actor.SupervisorStrategy.DefaultDecider.Decide, logOthers: true);

    public static Props Create(LanNodeSettings settings, Props handlerProps) =>
        Props.Create(() => new ClientNode(settings, handlerProps));

    protected override void PreStart()
    {
        _connectors = new Connectors(Context, Timers, _settings.Tcp, _settings.Protocol, _settings.Node, _security);
        if (DiscoveryProps.Wanted(_settings))
        {
            // Auto-connect follows this node's own discovery, not the event stream, where every node of the
            // system publishes what it hears.
            var owner = _settings.AutoConnect.Enabled ? Self : null;
            _discovery = Context.ActorOf(DiscoveryProps.Create(_settings, DiscoveryRole.Client, tcpPort: 0, owner), "discovery");
        }

        _handler = Context.ActorOf(_handlerProps, "handler");
        Context.Watch(_handler);
    }

    // lan.client.auto-connect: the first wanted server found is connected; when it restarts on another address,
    // the old connector goes and a new one follows it.
    private void Heard(ServerInfo server)
    {
        if (_stopping || !_settings.AutoConnect.Wants(server))
        {
            return;
        }

        _candidates[server.Id] = server;
        if (_chosen is not null)
        {
            Choose(server);
        }
        else if (!server.Meta.ContainsKey(MetaKeys.Load))
        {
            Choose(server);
        }
        else if (!_settling)
        {
            _settling = true;
            Timers.StartSingleTimer("settle", ChooseNow.Instance, SettleTime);
        }
    }

    // The least loaded wanted server that the trust policy lets this node reach; a server without a load counts as idle.
    private void ChooseBest()
    {
        if (_chosen is not null || _stopping)
        {
            return;
        }

        foreach (var server in _candidates.Values.OrderBy(Load).ThenBy(server => server.Id, StringComparer.Ordinal).ToList())
        {
            if (Choose(server))
            {
                return;
            }
        }
    }

    private static long Load(ServerInfo server) =>
        server.Meta.TryGetValue(MetaKeys.Load, out var text) && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : 0;

    private bool Choose(ServerInfo server)
    {
        if (_stopping || (_chosen is not null && _chosen.Id != server.Id))
        {
            return false;
        }

        // Under TLS a name resolves only to an ID the trust policy allows; another server with the name is never chosen.
        NodeId? expected = null;
        if (_security is { } security && (!NodeId.TryParse(server.Id, out expected, out _) || !security.Verifier.MayBeCalled(server.Name, expected)))
        {
            // Once per ID: an impostor that keeps changing its META must not fill the log (the set is bounded likewise).
            if (_refusedIds.Count >= MaxRefusedIds)
            {
                _refusedIds.Clear();
            }

            if (_refusedIds.Add(server.Id))
            {
                _log.Warning("not connecting to {Name} at {EndPoint}: node {Id} is not trusted under that name (lan.security.trust = {Trust})",
                    server.Name, server.EndPoint, server.Id, _settings.Security.Trust);
            }

            return false;
        }

        if (_chosen is not null && !_chosen.EndPoint.Equals(server.EndPoint))
        {
            _connectors.Disconnect(_chosen.EndPoint);
        }

        _chosen = server;
        Timers.Cancel(ForgetKey(server.EndPoint));
        _connectors.Connect(server.EndPoint, _handler, expected);
        return true;
    }

    // The handler still has the connections' Disconnected in its mailbox: a PoisonPill queues behind them.
    private void StopIfDone()
    {
        if (_stopping && _discoveryLeft && _connectors.Count == 0 && !_handlerStopping)
        {
            _handlerStopping = true;
            _handler.Tell(PoisonPill.Instance);
        }
    }

    private static string ForgetKey(IPEndPoint server) => $"forget {server}";

    private sealed record ForgetServer(IPEndPoint EndPoint);

    private sealed record ChooseNow
    {
        public static ChooseNow Instance { get; } = new();
    }
}
