using Akka.Actor;

namespace Lan.Actors.Nodes;

/// <summary>The guardian of a client: the user's handler and one connector per server (see <see cref="Connectors"/>).</summary>
internal sealed class ClientNode : ReceiveActor, IWithTimers
{
    private readonly Props _handlerProps;
    private readonly LanNodeSettings _settings;
    private Connectors _connectors = null!;
    private IActorRef _handler = ActorRefs.Nobody;
    private bool _stopping;

    public ClientNode(LanNodeSettings settings, Props handlerProps)
    {
        _settings = settings;
        _handlerProps = handlerProps;
        Receive<ConnectTo>(connect =>
        {
            if (!_stopping)
            {
                _connectors.Connect(connect.Server, _handler);
            }
        });
        Receive<DisconnectFrom>(disconnect => _connectors.Disconnect(disconnect.Server));
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
        Receive<StopNode>(_ =>
        {
            _stopping = true;
            _connectors.DisconnectAll();
            StopIfDone();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Create(LanNodeSettings settings, Props handlerProps) =>
        Props.Create(() => new ClientNode(settings, handlerProps));

    protected override void PreStart()
    {
        _connectors = new Connectors(Context, Timers, _settings);
        _handler = Context.ActorOf(_handlerProps, "handler");
        Context.Watch(_handler);
    }

    // The handler still has the connections' Disconnected in its mailbox: a PoisonPill queues behind them.
    private void StopIfDone()
    {
        if (_stopping && _connectors.Count == 0)
        {
            _handler.Tell(PoisonPill.Instance);
        }
    }
}
