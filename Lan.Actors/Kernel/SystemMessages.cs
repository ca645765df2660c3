namespace Lan.Actors.Kernel;

/// <summary>
/// Messages between the runtime's parts (lifecycle, supervision, death watch). They travel in a
/// queue of their own and are processed ahead of every user message.
/// </summary>
internal abstract record SystemMessage;

/// <summary>Run the constructor and <c>PreStart</c>.</summary>
internal sealed record Create : SystemMessage
{
    public static readonly Create Instance = new();
}

/// <summary>Stop: children first, then <c>PostStop</c>, then tell watchers.</summary>
internal sealed record Terminate : SystemMessage
{
    public static readonly Terminate Instance = new();
}

/// <summary>Continue after a failure, dropping the message that failed.</summary>
internal sealed record Resume : SystemMessage
{
    public static readonly Resume Instance = new();
}

/// <summary>Hold user messages: an ancestor failed and waits for its supervisor's decision.</summary>
internal sealed record Suspend : SystemMessage
{
    public static readonly Suspend Instance = new();
}

/// <summary>The failed ancestor was resumed: release one <see cref="Suspend"/>.</summary>
internal sealed record ResumeChild : SystemMessage
{
    public static readonly ResumeChild Instance = new();
}

/// <summary>Replace the failed instance by a new one.</summary>
/// <remarks><paramref name="ReleasesSuspension"/> is set for the survivors of a parent's restart, which were suspended by its failure.</remarks>
internal sealed record Recreate(Exception Cause, bool ReleasesSuspension = false) : SystemMessage;

/// <summary>From a child to its parent: it failed and waits for a directive.</summary>
internal sealed record Failed(IActorRef Child, Exception Cause) : SystemMessage;

/// <summary>Start watching <paramref name="Watchee"/> on behalf of <paramref name="Watcher"/>.</summary>
internal sealed record Watch(IActorRef Watchee, IActorRef Watcher) : SystemMessage;

/// <summary>Stop watching.</summary>
internal sealed record Unwatch(IActorRef Watchee, IActorRef Watcher) : SystemMessage;

/// <summary>An actor that this one watches, or a child, has stopped.</summary>
internal sealed record DeathWatchNotification(IActorRef Actor, bool ExistenceConfirmed) : SystemMessage;

/// <summary>A continuation of a <c>ReceiveAsync</c> handler, run inside the actor.</summary>
internal sealed record RunContinuation(SendOrPostCallback Callback, object? State, int Incarnation) : SystemMessage;

/// <summary>The task of a <c>ReceiveAsync</c> handler finished; user messages may flow again.</summary>
internal sealed record AsyncHandlerCompleted(Task Task) : SystemMessage;

internal static class ActorRefInternals
{
    /// <summary>The actor behind a proxy such as a TestProbe; the reference itself otherwise.</summary>
    public static IActorRef Unwrap(IActorRef actor) => actor is IActorRefProxy proxy ? Unwrap(proxy.Underlying) : actor;

    /// <summary>Sends a system message to any reference that can take one; other references ignore it.</summary>
    public static void SendSystem(IActorRef target, SystemMessage message)
    {
        switch (target)
        {
            case IActorRefProxy proxy:
                SendSystem(proxy.Underlying, message);
                break;
            case LocalActorRef local:
                local.Cell.SendSystemMessage(message);
                break;
            case MinimalActorRef minimal:
                minimal.SendSystemMessage(message);
                break;
            default:
                if (message is Watch watch)
                {
                    // An unknown reference (e.g. a test double) cannot report its death: treat it as gone.
                    SendSystem(watch.Watcher, new DeathWatchNotification(target, ExistenceConfirmed: false));
                }
                break;
        }
    }
}
