namespace Lan.Actors.Kernel;

/// <summary>
/// An actor reference that is not backed by a mailbox (dead letters, promises, nobody). It cannot be
/// watched meaningfully: a watcher is told at once that it is terminated.
/// </summary>
public abstract class MinimalActorRef : IActorRef
{
    /// <summary>Creates a reference with the given path.</summary>
    protected MinimalActorRef(ActorPath path) => Path = path;

    /// <inheritdoc />
    public ActorPath Path { get; }

    /// <inheritdoc />
    public abstract void Tell(object message, IActorRef? sender);

    internal virtual void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch && !ReferenceEquals(watch.Watcher, this))
        {
            ActorRefInternals.SendSystem(watch.Watcher, new DeathWatchNotification(this, ExistenceConfirmed: false));
        }
    }

    /// <inheritdoc />
    public bool Equals(IActorRef? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc />
    public override int GetHashCode() => Path.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(IActorRef? other) => other is null ? 1 : Path.CompareTo(other.Path);

    /// <inheritdoc />
    public override string ToString() => $"[{Path}]";
}
