namespace Lan.Actors.Kernel;

/// <summary>
/// Publish–subscribe inside one system: a subscriber to a type receives every published event of that
/// type or a subtype. Dead letters and unhandled messages are published here too.
/// </summary>
public sealed class EventStream
{
    private readonly Lock _gate = new();
    private Subscription[] _subscriptions = [];

    /// <summary>Subscribes <paramref name="subscriber"/> to <paramref name="channel"/>; false if it already was.</summary>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_gate)
        {
            foreach (var existing in _subscriptions)
            {
                if (existing.Channel == channel && existing.Subscriber.Equals(subscriber))
                {
                    return false;
                }
            }
            _subscriptions = [.. _subscriptions, new Subscription(channel, subscriber)];
            return true;
        }
    }

    /// <summary>Ends one subscription; false if there was none.</summary>
    public bool Unsubscribe(IActorRef subscriber, Type channel) =>
        Remove(s => s.Channel == channel && s.Subscriber.Equals(subscriber));

    /// <summary>Ends every subscription of <paramref name="subscriber"/>.</summary>
    public bool Unsubscribe(IActorRef subscriber) => Remove(s => s.Subscriber.Equals(subscriber));

    /// <summary>Tells <paramref name="event"/> to each subscriber of its type (or a base type); each gets it once.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var subscriptions = Volatile.Read(ref _subscriptions);
        List<IActorRef>? told = null;
        foreach (var subscription in subscriptions)
        {
            if (!subscription.Channel.IsInstanceOfType(@event))
            {
                continue;
            }
            if (subscription.Subscriber is LocalActorRef { Cell.IsTerminated: true })
            {
                // Telling a stopped subscriber would make a dead letter, which is published again: drop it instead.
                Unsubscribe(subscription.Subscriber);
                continue;
            }
            told ??= new List<IActorRef>(2);
            if (told.Contains(subscription.Subscriber))
            {
                continue;
            }
            told.Add(subscription.Subscriber);
            subscription.Subscriber.Tell(@event, ActorRefs.NoSender);
        }
    }

    private bool Remove(Func<Subscription, bool> match)
    {
        // Every stopping actor unsubscribes; most never subscribed, so look before taking the lock.
        if (Array.FindIndex(Volatile.Read(ref _subscriptions), s => match(s)) < 0)
        {
            return false;
        }
        lock (_gate)
        {
            var kept = Array.FindAll(_subscriptions, s => !match(s));
            var removed = kept.Length != _subscriptions.Length;
            _subscriptions = kept;
            return removed;
        }
    }

    private sealed record Subscription(Type Channel, IActorRef Subscriber);
}
