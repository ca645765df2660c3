using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Discovery;

namespace Lan.Actors.Nodes;

/// <summary>
/// The guardian of a server or peer: its listener, in shared mode the user's handler, and for a peer the
/// connectors it dials out with (<see cref="ConnectTo"/>, as a client node does). Server commands
/// (<see cref="SendToAll"/>, <see cref="SendTo"/>, <see cref="Multicast"/>, <see cref="Kick"/>,
/// <see cref="GetPeers"/>) sent here reach the listener, which owns the inbound connections.
/// </summary>
internal sealed class ServerNode : ReceiveActor, IWithTimers
{
    private readonly LanNodeSettings _settings;
    private readonly Props _handlerProps;
    private readonly ServerOptions _options;
    private readonly bool _isPeer;
    private IActorRef _discovery = ActorRefs.Nobody;
    private readonly List<IActorRef> _waiting = [];
    private IActorRef _listener = ActorRefs.Nobody;
    private IActorRef _handler = ActorRefs.Nobody;
    private Bound? _bound;
    // Whoever started the node hears how its bind went through this, not by asking: a bind that fails stops the node
    // at once, and a question sent after that would find no one to answer it.
    private readonly TaskCompletionSource<Bound>? _started;
    private ListenerBindException? _bindFailure;
    private Connectors _connectors = null!;
    private bool _stopping;
    private bool _listenerClosed;
    private bool _discoveryLeft;
    private bool _handlerStopping;

    public ServerNode(LanNodeSettings settings, Props handlerProps, ServerOptions options, bool isPeer, TaskCompletionSource<Bound>? started = null)
    {
        _started = started;
        _options = options;
        _isPeer = isPeer;
        _settings = settings;
        _handlerProps = handlerProps;
        Receive<Bound>(bound =>
        {
            _bound = bound;
            _started?.TrySetResult(bound);
            StartDiscovery(bound.LocalEndPoint.Port);
            AnswerWaiting();
        });
        Receive<SetMeta>(meta => _discovery.Forward(meta));
        Receive<GetDiscoveryStats>(ask => _discovery.Forward(ask));
        Receive<BindFailed>(failed =>
        {
            _bindFailure = failed.Error;
            _started?.TrySetException(failed.Error);
            AnswerWaiting();
            Context.Stop(Self);
        });
        Receive<AwaitBinding>(_ =>
        {
            _waiting.Add(Sender);
            AnswerWaiting();
        });
        Receive<SendToAll>(command => _listener.Forward(command));
        Receive<SendTo>(command => _listener.Forward(command));
        Receive<Multicast>(command => _listener.Forward(command));
        Receive<Kick>(command => _listener.Forward(command));
        Receive<GetPeers>(command => _listener.Forward(command));
        Receive<ConnectTo>(connect =>
        {
            if (!_stopping)
            {
                _connectors.Connect(connect.Server, _handler, connect.Expected);
            }
        });
        Receive<DisconnectFrom>(disconnect => _connectors.Disconnect(disconnect.Server));
        Receive<ForceStop>(force => Context.Stop(force.Connector));
        Receive<StopNode>(_ => BeginStop(DisconnectReason.Shutdown, "the node is stopping"));
        Receive<LeftNetwork>(_ =>
        {
            _discoveryLeft = true;
            StopIfDone();
        });
        Receive<StopTimedOut>(_ =>
        {
            _listenerClosed = true;
            _discoveryLeft = true;
            StopIfDone();
        });
        Receive<KillNode>(_ =>
        {
            _stopping = true;
            if (_discovery.IsNobody())
            {
                Context.Stop(Self);
            }
            else
            {
                _discovery.Tell(FallSilent.Instance);
                // A discovery actor between two back-off restarts has no one to answer: stop without waiting long.
                Timers.StartSingleTimer("kill", FellSilent.Instance, TimeSpan.FromSeconds(1));
            }
        });
        // Discovery will not say goodbye now: stopping the node closes every socket without a word.
        Receive<FellSilent>(_ => Context.Stop(Self));
        Receive<AllClosed>(_ =>
        {
            _listenerClosed = true;
            StopIfDone();
        });
        Receive<Terminated>(terminated =>
        {
            if (terminated.ActorRef.Equals(_handler) && !_stopping)
            {
                // The shared handler failed past its restart budget (HandlerSupervision said so): with nobody to hear
                // them, every connection closes with HandlerFailed, and the node stops.
                _handler = ActorRefs.Nobody;
                BeginStop(DisconnectReason.HandlerFailed, "the node's handler failed and was stopped");
            }
            else if (terminated.ActorRef.Equals(_listener) || terminated.ActorRef.Equals(_handler))
            {
                Context.Stop(Self);
            }
            else if (_connectors.Terminated(terminated.ActorRef))
            {
                StopIfDone();
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Create(LanNodeSettings settings, Props handlerProps, ServerOptions options, bool isPeer, TaskCompletionSource<Bound>? started = null) =>
        Props.Create(() => new ServerNode(settings, handlerProps, options, isPeer, started));

    private void StartDiscovery(int tcpPort)
    {
        if (DiscoveryProps.Wanted(_settings) && _discovery.IsNobody())
        {
            var role = _isPeer ? DiscoveryRole.Peer : DiscoveryRole.Server;
            _discovery = Context.ActorOf(DiscoveryProps.Create(_settings, role, tcpPort), "discovery");
        }
    }

    // The user's handler is restarted when it throws, loudly and up to lan.handler's budget; the listener as Akka's
    // default strategy would (its restart stops its connections, closes the socket and binds again).
    protected override SupervisorStrategy SupervisorStrategy() =>
        new HandlerSupervision(_settings.Handler, child => child.Equals(_handler), Akka.Actor.SupervisorStrategy.DefaultDecider.Decide, logOthers: true);

    private void BeginStop(DisconnectReason reason, string detail)
    {
        _stopping = true;
        // SERVER_BYE first, so clients stop counting on this node before its connections say DISCONNECT; the
        // registry link says DISCONNECT meanwhile.
        _discoveryLeft = _discovery.IsNobody();
        _discovery.Tell(LeaveNetwork.Instance);
        _listener.Tell(new CloseAll(reason, detail));
        _connectors.DisconnectAll();
        // A peer that never answers (or a discovery between two restarts) does not hold the stop up for longer than its close time-out.
        Timers.StartSingleTimer("stop", StopTimedOut.Instance, _settings.Tcp.CloseTimeout + TimeSpan.FromSeconds(1));
    }

    protected override void PreStart()
    {
        _connectors = new Connectors(Context, Timers, _settings.Tcp, _settings.Protocol, _settings.Node, _settings.ConnectionSecurity());
        if (_options.Mode == HandlerMode.Shared)
        {
            _handler = Context.ActorOf(_handlerProps, "handler");
            Context.Watch(_handler);
        }

        var setup = new ConnectionSetup(_handler, _settings.Tcp, _settings.Protocol, _settings.Node, _options.PullMode, _options.BatchDelivery)
        {
            Budget = new ReceiveBudget(_settings.Tcp.ReceiveBudget),
            SendBudget = new SendBudget(_settings.Tcp.SendBudget),
            Security = _settings.ConnectionSecurity(),
        };
        _listener = Context.ActorOf(ListenerActor.Create(setup, _options.Mode == HandlerMode.PerConnection ? _handlerProps : null, _settings.Handler), "listener");
        Context.Watch(_listener);
    }

    // The handler still has the connections' Disconnected in its mailbox: a PoisonPill queues behind them,
    // where stopping the node at once would cut them off.
    private void StopIfDone()
    {
        if (!_stopping || !_listenerClosed || !_discoveryLeft || _connectors.Count > 0 || _handlerStopping)
        {
            return;
        }

        _handlerStopping = true;
        if (_handler.IsNobody())
        {
            Context.Stop(Self);
        }
        else
        {
            _handler.Tell(PoisonPill.Instance);
        }
    }

    protected override void PostStop() =>
        _started?.TrySetException(new InvalidOperationException("the node stopped before its listener reported: the actor system may be shutting down"));

    private void AnswerWaiting()
    {
        if (_bound is null && _bindFailure is null)
        {
            return;
        }

        foreach (var waiter in _waiting)
        {
            waiter.Tell(_bound is not null ? _bound : new Status.Failure(_bindFailure!));
        }

        _waiting.Clear();
    }
}
