namespace Lan.Actors.Kernel;

/// <summary>A behaviour: returns true when it handled the message.</summary>
public delegate bool Receive(object message);

/// <summary>Creates actors: the system (top-level actors) and every actor's context (children).</summary>
public interface IActorRefFactory
{
    /// <summary>Creates an actor; <paramref name="name"/> must be unique among its siblings, or null for a generated one.</summary>
    IActorRef ActorOf(Props props, string? name = null);
}

/// <summary>What an actor sees of itself and the runtime while it handles a message.</summary>
public interface IActorContext : IActorRefFactory
{
    /// <summary>This actor.</summary>
    IActorRef Self { get; }

    /// <summary>The sender of the current message; dead letters when there was none.</summary>
    IActorRef Sender { get; }

    /// <summary>This actor's supervisor.</summary>
    IActorRef Parent { get; }

    /// <summary>The props this actor was created from.</summary>
    Props Props { get; }

    /// <summary>The system the actor lives in.</summary>
    ActorSystem System { get; }

    /// <summary>The inactivity period after which <see cref="Kernel.ReceiveTimeout"/> is delivered; null when off.</summary>
    TimeSpan? ReceiveTimeout { get; }

    /// <summary>The child called <paramref name="name"/>, or <see cref="ActorRefs.Nobody"/>.</summary>
    IActorRef Child(string name);

    /// <summary>A snapshot of the current children.</summary>
    IEnumerable<IActorRef> GetChildren();

    /// <summary>Stops a child (or this actor) asynchronously: it finishes its current message, stops its children, then itself.</summary>
    void Stop(IActorRef child);

    /// <summary>Delivers <see cref="Terminated"/> once when <paramref name="subject"/> stops; at once if it already has.</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Like <see cref="Watch"/>, but delivers <paramref name="message"/> instead of <see cref="Terminated"/>.</summary>
    IActorRef WatchWith(IActorRef subject, object message);

    /// <summary>Stops watching; a Terminated not yet handled is dropped.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>Replaces the current behaviour.</summary>
    void Become(Receive receive);

    /// <summary>Pushes a behaviour; <see cref="UnbecomeStacked"/> returns to the previous one.</summary>
    void BecomeStacked(Receive receive);

    /// <summary>Pops the behaviour pushed last.</summary>
    void UnbecomeStacked();

    /// <summary>Sets (or with null, clears) the inactivity period after which <see cref="Kernel.ReceiveTimeout"/> is delivered.</summary>
    void SetReceiveTimeout(TimeSpan? timeout);
}
