namespace Lan.Actors.Kernel;

/// <summary>
/// Where undeliverable messages go: each becomes a <see cref="DeadLetter"/> on the event stream and is
/// logged, at most <c>lan.kernel.log-dead-letters</c> per window so a flood cannot drown the log.
/// </summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : MinimalActorRef(path)
{
    private readonly Lock _gate = new();
    private long _windowStart;
    private int _loggedInWindow;
    private int _suppressedInWindow;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        var deadLetter = message as DeadLetter ?? new DeadLetter(message, sender ?? this, this);
        system.EventStream.Publish(deadLetter);
        if (deadLetter.Message is not IDeadLetterSuppression)
        {
            Log(deadLetter);
        }
    }

    private void Log(DeadLetter deadLetter)
    {
        var settings = system.Settings;
        if (settings.LogDeadLetters <= 0 || (system.IsTerminating && !settings.LogDeadLettersDuringShutdown))
        {
            return;
        }
        int suppressedBefore;
        lock (_gate)
        {
            var now = system.TimeProvider.GetTimestamp();
            if (_windowStart == 0 || system.TimeProvider.GetElapsedTime(_windowStart, now) >= settings.LogDeadLettersWindow)
            {
                _windowStart = now;
                suppressedBefore = _suppressedInWindow;
                _loggedInWindow = 0;
                _suppressedInWindow = 0;
            }
            else
            {
                suppressedBefore = 0;
            }
            if (_loggedInWindow >= settings.LogDeadLetters)
            {
                _suppressedInWindow++;
                return;
            }
            _loggedInWindow++;
        }
        if (suppressedBefore > 0)
        {
            system.Log.Information("{Count} dead letters were not logged in the previous window", suppressedBefore);
        }
        system.Log.Information(
            "Message [{MessageType}] from {Sender} to {Recipient} was not delivered (dead letter). Change lan.kernel.log-dead-letters to see more or fewer.",
            deadLetter.Message.GetType().Name, deadLetter.Sender.Path, deadLetter.Recipient.Path);
    }
}
