namespace Lan.Actors.Kernel;

/// <summary>Something that can be cancelled, such as a scheduled message.</summary>
public interface ICancelable
{
    /// <summary>True once <see cref="Cancel"/> was called.</summary>
    bool IsCancellationRequested { get; }

    /// <summary>A token cancelled together with this object.</summary>
    CancellationToken Token { get; }

    /// <summary>Cancels; calling it again does nothing.</summary>
    void Cancel();
}

/// <summary>A cancelable backed by a <see cref="CancellationTokenSource"/>.</summary>
public sealed class Cancelable : ICancelable, IDisposable
{
    private readonly CancellationTokenSource _source = new();

    /// <inheritdoc />
    public bool IsCancellationRequested => _source.IsCancellationRequested;

    /// <inheritdoc />
    public CancellationToken Token => _source.Token;

    /// <inheritdoc />
    public void Cancel() => _source.Cancel();

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();
}

/// <summary>The system's timer service for anything that is not an actor's own timer (see <see cref="IWithTimers"/>).</summary>
public interface IScheduler
{
    /// <summary>The scheduler's clock.</summary>
    DateTimeOffset Now { get; }

    /// <summary>Tells <paramref name="message"/> to <paramref name="receiver"/> once after <paramref name="delay"/>.</summary>
    void ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender, ICancelable? cancelable = null);

    /// <summary>Tells <paramref name="message"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    void ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender, ICancelable? cancelable = null);

    /// <summary>Runs <paramref name="action"/> once after <paramref name="delay"/> on a pool thread.</summary>
    void ScheduleOnce(TimeSpan delay, Action action, ICancelable? cancelable = null);

    /// <summary>Runs <paramref name="action"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    void ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable? cancelable = null);
}

/// <summary>Forms of scheduling that hand back the means to cancel.</summary>
public static class SchedulerExtensions
{
    /// <summary>Tells once after <paramref name="delay"/>; cancel the result to prevent it.</summary>
    public static ICancelable ScheduleTellOnceCancelable(this IScheduler scheduler, TimeSpan delay, ICanTell receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        var cancelable = new Cancelable();
        scheduler.ScheduleTellOnce(delay, receiver, message, sender, cancelable);
        return cancelable;
    }

    /// <summary>Tells repeatedly; cancel the result to stop.</summary>
    public static ICancelable ScheduleTellRepeatedlyCancelable(this IScheduler scheduler, TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        var cancelable = new Cancelable();
        scheduler.ScheduleTellRepeatedly(initialDelay, interval, receiver, message, sender, cancelable);
        return cancelable;
    }
}

/// <summary>A scheduler over a <see cref="TimeProvider"/>, so tests can drive time by hand.</summary>
internal sealed class TimeProviderScheduler(TimeProvider time) : IScheduler
{
    private volatile bool _stopped;

    public DateTimeOffset Now => time.GetUtcNow();

    public void ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender, ICancelable? cancelable = null)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        ScheduleOnce(delay, () => receiver.Tell(message, sender), cancelable);
    }

    public void ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender, ICancelable? cancelable = null)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        ScheduleRepeatedly(initialDelay, interval, () => receiver.Tell(message, sender), cancelable);
    }

    public void ScheduleOnce(TimeSpan delay, Action action, ICancelable? cancelable = null) =>
        Schedule(delay, Timeout.InfiniteTimeSpan, action, cancelable);

    public void ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable? cancelable = null)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A repeated schedule needs a positive interval.");
        }
        Schedule(initialDelay, interval, action, cancelable);
    }

    /// <summary>Stops every later run: called when the system has terminated.</summary>
    public void Stop() => _stopped = true;

    private void Schedule(TimeSpan delay, TimeSpan period, Action action, ICancelable? cancelable)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (_stopped || cancelable?.IsCancellationRequested == true)
        {
            return;
        }
        var entry = new ScheduledEntry(this, action, cancelable, period == Timeout.InfiniteTimeSpan);
        entry.Timer = time.CreateTimer(static state => ((ScheduledEntry)state!).Fire(), entry, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, period);
        if (cancelable is not null)
        {
            entry.Registration = cancelable.Token.Register(static state => ((ScheduledEntry)state!).Dispose(), entry);
        }
    }

    private sealed class ScheduledEntry(TimeProviderScheduler owner, Action action, ICancelable? cancelable, bool once) : IDisposable
    {
        public ITimer? Timer { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public void Fire()
        {
            if (owner._stopped || cancelable?.IsCancellationRequested == true)
            {
                Dispose();
                return;
            }
            if (once)
            {
                Dispose();
            }
            action();
        }

        public void Dispose()
        {
            Timer?.Dispose();
            Registration.Dispose();
        }
    }
}
