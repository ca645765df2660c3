namespace Lan.Actors.Kernel;

/// <summary>Something that accepts messages: an actor reference, a probe, a promise.</summary>
public interface ICanTell
{
    /// <summary>Sends <paramref name="message"/> without waiting; <paramref name="sender"/> is what the receiver sees as <c>Sender</c>.</summary>
    void Tell(object message, IActorRef? sender);
}

/// <summary>An immutable, thread-safe handle to an actor: the only way to talk to it.</summary>
public interface IActorRef : ICanTell, IEquatable<IActorRef>, IComparable<IActorRef>
{
    /// <summary>The actor's location in the hierarchy.</summary>
    ActorPath Path { get; }
}

/// <summary>
/// A reference that stands for another actor (the TestKit's <c>TestProbe</c>): watching, stopping and
/// comparing it act on <see cref="Underlying"/>.
/// </summary>
public interface IActorRefProxy : IActorRef
{
    /// <summary>The actor this reference stands for.</summary>
    IActorRef Underlying { get; }
}

/// <summary>Well-known references.</summary>
public static class ActorRefs
{
    /// <summary>A reference that never answers; messages to it are dropped as dead letters.</summary>
    public static readonly IActorRef Nobody = Kernel.Nobody.Instance;

    /// <summary>Used as sender when there is none; the receiver sees the dead-letter reference as <c>Sender</c>.</summary>
    public static readonly IActorRef? NoSender;
}

/// <summary>The reference to no actor. Watching it yields <see cref="Terminated"/> at once.</summary>
public sealed class Nobody : MinimalActorRef
{
    /// <summary>The single instance.</summary>
    public static readonly Nobody Instance = new();

    private Nobody() : base(ActorPath.Root("nobody").Child("nobody")) { }

    /// <inheritdoc />
    public override void Tell(object message, IActorRef? sender) { }
}
