namespace Lan.Actors.Kernel;

/// <summary>An actor with keyed timers; the runtime sets <see cref="Timers"/> before the constructor returns.</summary>
public interface IWithTimers
{
    /// <summary>The actor's timers; set by the runtime.</summary>
    ITimerScheduler Timers { get; set; }
}

/// <summary>
/// Timers that send a message to their own actor. Starting a timer with a key that is in use replaces it;
/// all timers are cancelled when the actor stops or restarts, and a cancelled timer's message is never delivered.
/// </summary>
public interface ITimerScheduler
{
    /// <summary>Sends <paramref name="msg"/> every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object msg, TimeSpan interval);

    /// <summary>Sends <paramref name="msg"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/>.</summary>
    void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval);

    /// <summary>Sends <paramref name="msg"/> once after <paramref name="timeout"/>.</summary>
    void StartSingleTimer(object key, object msg, TimeSpan timeout);

    /// <summary>True while the timer is running (a single timer until its message is handled).</summary>
    bool IsTimerActive(object key);

    /// <summary>Keys of the running timers.</summary>
    IReadOnlyCollection<object> ActiveTimers { get; }

    /// <summary>Cancels the timer; its message will not arrive, even if already queued.</summary>
    void Cancel(object key);

    /// <summary>Cancels every timer.</summary>
    void CancelAll();
}

/// <summary>A timer tick queued to the actor; valid only if its timer still runs with the same generation.</summary>
internal sealed record TimerFired(object Key, int Generation) : IAutoReceivedMessage;

internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, TimerEntry> _timers = [];
    private int _generation;

    public IReadOnlyCollection<object> ActiveTimers => [.. _timers.Keys];

    public void StartPeriodicTimer(object key, object msg, TimeSpan interval) => StartPeriodicTimer(key, msg, interval, interval);

    public void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "A periodic timer needs a positive interval.");
        }
        Start(key, msg, initialDelay, interval, repeat: true);
    }

    public void StartSingleTimer(object key, object msg, TimeSpan timeout) => Start(key, msg, timeout, Timeout.InfiniteTimeSpan, repeat: false);

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (_timers.Remove(key, out var entry))
        {
            entry.Timer.Dispose();
        }
    }

    public void CancelAll()
    {
        foreach (var entry in _timers.Values)
        {
            entry.Timer.Dispose();
        }
        _timers.Clear();
    }

    internal bool TryTake(TimerFired fired, out object message)
    {
        if (_timers.TryGetValue(fired.Key, out var entry) && entry.Generation == fired.Generation)
        {
            if (!entry.Repeat)
            {
                _timers.Remove(fired.Key);
                entry.Timer.Dispose();
            }
            message = entry.Message;
            return true;
        }
        message = null!;
        return false;
    }

    private void Start(object key, object msg, TimeSpan dueIn, TimeSpan period, bool repeat)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(msg);
        Cancel(key);
        var tick = new TimerFired(key, ++_generation);
        var timer = cell.System.TimeProvider.CreateTimer(
            static state =>
            {
                var (target, message) = ((ActorCell, TimerFired))state!;
                target.SendUserMessage(message, target.Self);
            },
            (cell, tick),
            dueIn < TimeSpan.Zero ? TimeSpan.Zero : dueIn,
            period);
        _timers[key] = new TimerEntry(msg, tick.Generation, repeat, timer);
    }

    private sealed record TimerEntry(object Message, int Generation, bool Repeat, ITimer Timer);
}
