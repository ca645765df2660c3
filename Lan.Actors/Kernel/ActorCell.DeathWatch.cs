namespace Lan.Actors.Kernel;

/// <summary>An actor's Terminated (or WatchWith message), queued as a user message and checked on arrival.</summary>
internal sealed record DeathWatchDelivery(IActorRef Subject, object Message) : IAutoReceivedMessage, INotInfluenceReceiveTimeout;

/// <summary>Death watch: who this actor watches, who watches it, and exactly-once Terminated delivery.</summary>
internal sealed partial class ActorCell
{
    private Dictionary<IActorRef, object?>? _watching;
    private HashSet<IActorRef>? _watchedBy;
    private HashSet<IActorRef>? _terminatedQueued;

    public IActorRef Watch(IActorRef subject) => WatchCore(subject, null);

    public IActorRef WatchWith(IActorRef subject, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return WatchCore(subject, message);
    }

    private IActorRef WatchCore(IActorRef watched, object? message)
    {
        ArgumentNullException.ThrowIfNull(watched);
        var subject = ActorRefInternals.Unwrap(watched);
        if (ReferenceEquals(subject, Self))
        {
            return subject;
        }
        var watching = _watching ??= [];
        var alreadyWatching = watching.ContainsKey(subject);
        watching[subject] = message;
        if (!alreadyWatching)
        {
            ActorRefInternals.SendSystem(subject, new Watch(subject, Self));
        }
        return watched;
    }

    public IActorRef Unwatch(IActorRef watched)
    {
        ArgumentNullException.ThrowIfNull(watched);
        var subject = ActorRefInternals.Unwrap(watched);
        if (_watching is not null && _watching.Remove(subject))
        {
            ActorRefInternals.SendSystem(subject, new Unwatch(subject, Self));
        }
        _terminatedQueued?.Remove(subject);
        return watched;
    }

    private void HandleWatch(Watch watch)
    {
        if (ReferenceEquals(watch.Watchee, Self) && !ReferenceEquals(watch.Watcher, Self))
        {
            (_watchedBy ??= []).Add(watch.Watcher);
        }
    }

    private void HandleUnwatch(Unwatch unwatch)
    {
        if (ReferenceEquals(unwatch.Watchee, Self))
        {
            _watchedBy?.Remove(unwatch.Watcher);
        }
    }

    private void HandleDeathWatchNotification(DeathWatchNotification notification)
    {
        var subject = notification.Actor;
        if (_watching is not null && _watching.Remove(subject, out var custom) && !_terminating && !_terminated)
        {
            (_terminatedQueued ??= []).Add(subject);
            var message = custom ?? new Terminated(subject, notification.ExistenceConfirmed);
            SendUserMessage(new DeathWatchDelivery(subject, message), subject);
        }
        if (IsChild(subject))
        {
            HandleChildTerminated(subject);
        }
    }

    private void TellWatchersWeDied()
    {
        if (_watchedBy is not null)
        {
            foreach (var watcher in _watchedBy)
            {
                if (!ReferenceEquals(watcher, _parent))
                {
                    ActorRefInternals.SendSystem(watcher, new DeathWatchNotification(Self, ExistenceConfirmed: true));
                }
            }
            _watchedBy = null;
        }
        if (_watching is not null)
        {
            foreach (var watchee in _watching.Keys)
            {
                ActorRefInternals.SendSystem(watchee, new Unwatch(watchee, Self));
            }
            _watching = null;
        }
        _terminatedQueued = null;
        ActorRefInternals.SendSystem(_parent, new DeathWatchNotification(Self, ExistenceConfirmed: true));
    }
}
