namespace Lan.Actors.Kernel;

/// <summary>A one-shot reference that completes a task with the first message it is told (or the death of what it watches).</summary>
internal sealed class PromiseActorRef : MinimalActorRef
{
    private static long s_next;
    private readonly TaskCompletionSource<object> _promise = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PromiseActorRef(ActorSystem? system)
        : base(ActorPath.Root(system?.Name ?? "no-system").Child("temp").Child("$" + Interlocked.Increment(ref s_next)))
    {
    }

    public Task<object> Task => _promise.Task;

    public override void Tell(object message, IActorRef? sender)
    {
        if (message is Status.Failure failure)
        {
            _promise.TrySetException(failure.Cause);
        }
        else
        {
            _promise.TrySetResult(message);
        }
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is DeathWatchNotification notification)
        {
            _promise.TrySetResult(new Terminated(notification.Actor, notification.ExistenceConfirmed));
        }
    }

    public void Fail(Exception cause) => _promise.TrySetException(cause);
}

internal static class AskSupport
{
    public static async Task<T> Ask<T>(ICanTell receiver, object message, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        // A probe stands for a local actor: its system supplies the clock and the default timeout too.
        var system = (receiver is IActorRef actor ? ActorRefInternals.Unwrap(actor) as LocalActorRef : null)?.Cell.System;
        var wait = timeout ?? system?.Settings.DefaultAskTimeout ?? TimeSpan.FromSeconds(5);
        if (wait <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "An Ask needs a positive timeout.");
        }
        var promise = new PromiseActorRef(system);
        var time = system?.TimeProvider ?? TimeProvider.System;
        using var timer = time.CreateTimer(
            static state =>
            {
                var (target, description, after) = ((PromiseActorRef, string, TimeSpan))state!;
                target.Fail(new AskTimeoutException($"Ask of {description} timed out after {after.TotalMilliseconds:0} ms with no reply."));
            },
            (promise, $"{message.GetType().Name} to {(receiver as IActorRef)?.Path.ToString() ?? receiver.ToString()}", wait),
            wait,
            Timeout.InfiniteTimeSpan);
        using var registration = cancellationToken.Register(static state => ((PromiseActorRef)state!).Fail(new TaskCanceledException("The Ask was cancelled.")), promise);
        receiver.Tell(message, promise);
        var reply = await promise.Task.ConfigureAwait(false);
        return reply is T typed
            ? typed
            : throw new InvalidCastException($"Ask expected a reply of type {typeof(T).Name} but got {reply.GetType().Name}: {reply}");
    }
}
