namespace Lan.Actors.Kernel;

/// <summary>A reference to an actor in this process: telling it enqueues into the actor's mailbox.</summary>
internal sealed class LocalActorRef : IActorRef
{
    public LocalActorRef(ActorCell cell, ActorPath path)
    {
        Cell = cell;
        Path = path;
    }

    public ActorCell Cell { get; }

    public ActorPath Path { get; }

    public void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.SendUserMessage(message, sender);
    }

    public bool Equals(IActorRef? other) => other is not null && ReferenceEquals(this, ActorRefInternals.Unwrap(other));

    public override bool Equals(object? obj) => obj is IActorRef other && Equals(other);

    public override int GetHashCode() => Path.GetHashCode();

    public int CompareTo(IActorRef? other) => other is null ? 1 : Path.CompareTo(other.Path);

    public override string ToString() => $"[{Path}]";
}
