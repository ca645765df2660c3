namespace Lan.Actors.Kernel;

/// <summary>
/// The base of every actor. The runtime calls <see cref="Receive"/> with one message at a time; state
/// in fields needs no locks. Create actors only through <see cref="Props"/> and <c>ActorOf</c>.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;

    /// <summary>Binds the actor to the cell that is creating it.</summary>
    protected ActorBase()
    {
        _cell = ActorCell.Current ?? throw new ActorInitializationException(
            $"{GetType().Name} was created with 'new'. Create actors with ActorOf(Props.Create(...)) so the runtime can supervise them.");
        // Set here, before the derived constructor's body runs, so it may already stash or start timers.
        if (this is IWithStash withStash)
        {
            withStash.Stash = _cell.Stash;
        }
        if (this is IWithTimers withTimers)
        {
            withTimers.Timers = _cell.Timers;
        }
    }

    /// <summary>The context of the actor handling the current message on this thread.</summary>
    protected static IActorContext Context => ActorCell.Current
        ?? throw new NotSupportedException("There is no actor context here: Context is only valid inside an actor's message handler or lifecycle method.");

    /// <summary>This actor.</summary>
    protected IActorRef Self => _cell.Self;

    /// <summary>The sender of the current message.</summary>
    protected IActorRef Sender => _cell.Sender;

    /// <summary>The behaviour the actor starts with.</summary>
    protected abstract bool Receive(object message);

    /// <summary>Called for a message no behaviour handled: Terminated raises <see cref="DeathPactException"/>, anything else is published as <see cref="UnhandledMessage"/>.</summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated)
        {
            throw new DeathPactException(terminated.ActorRef);
        }
        _cell.PublishUnhandled(message);
    }

    /// <summary>Replaces the current behaviour.</summary>
    protected void Become(Receive receive) => _cell.Become(receive);

    /// <summary>Pushes a behaviour.</summary>
    protected void BecomeStacked(Receive receive) => _cell.BecomeStacked(receive);

    /// <summary>Pops the behaviour pushed last.</summary>
    protected void UnbecomeStacked() => _cell.UnbecomeStacked();

    /// <summary>Sets or clears the receive timeout.</summary>
    protected void SetReceiveTimeout(TimeSpan? timeout) => _cell.SetReceiveTimeout(timeout);

    /// <summary>The strategy for this actor's children; by default <see cref="SupervisorStrategy.DefaultStrategy"/>.</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => Kernel.SupervisorStrategy.DefaultStrategy;

    /// <summary>Called after the constructor, before the first message.</summary>
    protected virtual void PreStart() { }

    /// <summary>Called after the actor stopped and its children are gone.</summary>
    protected virtual void PostStop() { }

    /// <summary>Called on the failed instance before a restart: by default unwatches and stops every child and calls <see cref="PostStop"/>.</summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.GetChildren())
        {
            // Unwatched first, so the new instance is not sent Terminated for children it never knew.
            Context.Unwatch(child);
            Context.Stop(child);
        }
        PostStop();
    }

    /// <summary>Called on the new instance after a restart: by default calls <see cref="PreStart"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    internal bool InvokeReceive(object message) => Receive(message);

    internal void InvokeUnhandled(object message) => Unhandled(message);

    internal SupervisorStrategy InvokeSupervisorStrategy() => SupervisorStrategy();

    internal void InvokePreStart() => PreStart();

    internal void InvokePostStop() => PostStop();

    internal void InvokePreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal void InvokePostRestart(Exception reason) => PostRestart(reason);
}
