using System.Net;
using Akka.Actor;
using Akka.Pattern;
using Lan.Actors.Io;

namespace Lan.Actors.Nodes;

/// <summary>
/// The guardian of a client: the user's handler and one connector per server. A connector is Akka's
/// <see cref="BackoffSupervisor"/> over an outbound <see cref="ConnectionActor"/>: when the connection
/// fails (the server closed it, dropped, went silent, or could not be reached) a new one is started after
/// an exponential back-off with jitter from <c>lan.tcp.reconnect</c>; when it ends by choice, the connector stops.
/// </summary>
internal sealed class ClientNode : ReceiveActor, IWithTimers
{
    private readonly LanNodeSettings _settings;
    private readonly Props _handlerProps;
    private readonly Dictionary<IPEndPoint, IActorRef> _connectors = [];
    private IActorRef _handler = ActorRefs.Nobody;
    private int _created;
    private bool _stopping;

    public ClientNode(LanNodeSettings settings, Props handlerProps)
    {
        _settings = settings;
        _handlerProps = handlerProps;
        Receive<ConnectTo>(connect => Connect(connect.Server));
        Receive<DisconnectFrom>(disconnect => Disconnect(disconnect.Server));
        Receive<ForceStop>(force => Context.Stop(force.Connector));
        Receive<Terminated>(OnTerminated);
        Receive<StopNode>(_ =>
        {
            _stopping = true;
            foreach (var server in _connectors.Keys.ToList())
            {
                Disconnect(server);
            }

            StopIfDone();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Create(LanNodeSettings settings, Props handlerProps) =>
        Props.Create(() => new ClientNode(settings, handlerProps));

    protected override void PreStart() => _handler = Context.ActorOf(_handlerProps, "handler");

    private void Connect(IPEndPoint server)
    {
        if (_stopping || _connectors.ContainsKey(server))
        {
            return;
        }

        var reconnect = _settings.Tcp.Reconnect;
        var setup = new ConnectionSetup(_handler, _settings.Tcp, _settings.Protocol, _settings.Node, PullMode: false);
        var options = Backoff.OnFailure(
                ConnectionActor.Outbound(server, setup), "connection", reconnect.MinBackoff, reconnect.MaxBackoff, reconnect.RandomFactor, -1)
            // A connection that failed (server closed, dropped, silent, unreachable) is replaced after the back-off;
            // one that broke the protocol or ended by choice is not.
            .WithSupervisorStrategy(new OneForOneStrategy(error => error is ConnectionFailedException ? Directive.Restart : Directive.Stop));
        var connector = Context.ActorOf(BackoffSupervisor.Props(options), $"connector-{++_created}");
        Context.Watch(connector);
        _connectors[server] = connector;
    }

    private void Disconnect(IPEndPoint server)
    {
        if (!_connectors.TryGetValue(server, out var connector))
        {
            return;
        }

        // The connector hands Close to its connection, which says DISCONNECT and stops; the connector follows.
        // While it is between two attempts there is no connection to tell, so it is stopped outright later.
        connector.Tell(new Close("the client disconnected"));
        Timers.StartSingleTimer(connector, new ForceStop(connector), _settings.Tcp.CloseTimeout + TimeSpan.FromSeconds(1));
    }

    private void OnTerminated(Terminated terminated)
    {
        foreach (var (server, connector) in _connectors)
        {
            if (connector.Equals(terminated.ActorRef))
            {
                _connectors.Remove(server);
                Timers.Cancel(connector);
                break;
            }
        }

        StopIfDone();
    }

    private void StopIfDone()
    {
        if (_stopping && _connectors.Count == 0)
        {
            Context.Stop(Self);
        }
    }

    private sealed record ForceStop(IActorRef Connector);
}
