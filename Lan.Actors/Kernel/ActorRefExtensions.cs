namespace Lan.Actors.Kernel;

/// <summary>Tell with an implicit sender, Forward, and Ask.</summary>
public static class ActorRefExtensions
{
    /// <summary>Sends with the current actor as sender (outside actors: the system's implicit sender, which the TestKit sets to its test actor).</summary>
    public static void Tell(this ICanTell receiver, object message)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        receiver.Tell(message, ActorCell.CurrentSelfOrNoSender() ?? (receiver as LocalActorRef)?.Cell.System.ImplicitSender);
    }

    /// <summary>Sends keeping the current message's original sender, so replies skip this actor.</summary>
    public static void Forward(this IActorRef receiver, object message)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        receiver.Tell(message, ActorCell.CurrentSenderOrNoSender());
    }

    /// <summary>
    /// Sends <paramref name="message"/> with a temporary sender and completes with the first reply of type
    /// <typeparamref name="T"/>; a <see cref="Status.Failure"/> reply fails the task with its cause, no reply
    /// within <paramref name="timeout"/> fails it with <see cref="AskTimeoutException"/>.
    /// </summary>
    public static Task<T> Ask<T>(this ICanTell receiver, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        AskSupport.Ask<T>(receiver, message, timeout, cancellationToken);

    /// <summary>Ask for any reply.</summary>
    public static Task<object> Ask(this ICanTell receiver, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        AskSupport.Ask<object>(receiver, message, timeout, cancellationToken);

    /// <summary>Completes when <paramref name="actor"/> has stopped after a <see cref="PoisonPill"/>; false if it took longer than <paramref name="timeout"/>.</summary>
    public static async Task<bool> GracefulStop(this IActorRef actor, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is not LocalActorRef local)
        {
            return true;
        }
        var watcher = new PromiseActorRef(local.Cell.System);
        ActorRefInternals.SendSystem(actor, new Watch(actor, watcher));
        actor.Tell(PoisonPill.Instance, ActorRefs.NoSender);
        var finished = await Task.WhenAny(watcher.Task, Task.Delay(timeout, local.Cell.System.TimeProvider)).ConfigureAwait(false);
        if (finished != watcher.Task)
        {
            ActorRefInternals.SendSystem(actor, new Unwatch(actor, watcher)); // do not leave the promise in its watchers
            return false;
        }
        return true;
    }
}
