namespace Lan.Actors.Kernel;

/// <summary>
/// The runtime side of one actor: its mailbox, its current instance and behaviour, its children and
/// watchers. The cell outlives restarts; only the instance is replaced. Everything not marked
/// otherwise is touched only by the thread that is running the cell's mailbox.
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    [ThreadStatic] private static ActorCell? t_current;

    private readonly IActorRef _parent;
    private ActorBase? _actor;
    private Envelope? _currentEnvelope;
    private Receive? _behavior;
    private Stack<Receive?>? _behaviorStack;
    private StashBuffer? _stash;
    private TimerScheduler? _timers;

    public ActorCell(ActorSystem system, IActorRef parent, Props props, ActorPath path)
    {
        System = system;
        _parent = parent;
        Props = props;
        Self = new LocalActorRef(this, path);
        _userTail = new Envelope(null!, null);
        _head.Envelope = _userTail;
    }

    /// <summary>The cell whose actor is running on this thread, if any.</summary>
    internal static ActorCell? Current => t_current;

    public ActorSystem System { get; }

    public LocalActorRef Self { get; }

    IActorRef IActorContext.Self => Self;

    public IActorRef Parent => _parent;

    public Props Props { get; }

    public IActorRef Sender => _currentEnvelope?.Sender ?? System.DeadLetters;

    internal ActorBase? Actor => _actor;

    /// <summary>True once the actor has stopped for good; readable from any thread.</summary>
    internal bool IsTerminated => _terminated;

    public void Become(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        _behavior = receive;
    }

    public void BecomeStacked(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        (_behaviorStack ??= new Stack<Receive?>()).Push(_behavior);
        _behavior = receive;
    }

    public void UnbecomeStacked() => _behavior = _behaviorStack is { Count: > 0 } stack ? stack.Pop() : null;

    internal IStash Stash => _stash ??= new StashBuffer(this);

    internal ITimerScheduler Timers => _timers ??= new TimerScheduler(this);

    /// <summary>The sender for an implicit Tell: the running actor, else none.</summary>
    internal static IActorRef? CurrentSelfOrNoSender() => t_current?.Self;

    internal static IActorRef? CurrentSenderOrNoSender() => t_current?._currentEnvelope?.Sender;

    internal void PublishUnhandled(object message)
    {
        System.Log.Debug("{Actor} did not handle a {MessageType} from {Sender}", Self.Path, message.GetType().Name, Sender.Path);
        System.EventStream.Publish(new UnhandledMessage(message, Sender, Self));
    }

    private void ReceiveMessage(object message)
    {
        var actor = _actor!;
        var handled = _behavior is { } behavior ? behavior(message) : actor.InvokeReceive(message);
        if (!handled)
        {
            actor.InvokeUnhandled(message);
        }
    }

    private ActorBase NewActor()
    {
        var previous = t_current;
        t_current = this;
        try
        {
            return Props.NewActor();
        }
        finally
        {
            t_current = previous;
        }
    }

    public override string ToString() => $"ActorCell({Self.Path})";
}
