namespace Lan.Actors.Kernel;

/// <summary>
/// How a parent handles a failed child: the decider picks a directive, and the strategy applies it to
/// the child alone (<see cref="OneForOneStrategy"/>) or to all children (<see cref="AllForOneStrategy"/>).
/// Restarts are limited to <see cref="MaxNumberOfRetries"/> within <see cref="WithinTimeRange"/>; past that
/// the child is stopped.
/// </summary>
public abstract class SupervisorStrategy
{
    /// <summary>Creates a strategy.</summary>
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, IDecider decider, bool loggingEnabled)
    {
        ArgumentNullException.ThrowIfNull(decider);
        MaxNumberOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider;
        LoggingEnabled = loggingEnabled;
    }

    /// <summary>Restarts allowed within the window; negative means unlimited, 0 means none.</summary>
    public int MaxNumberOfRetries { get; }

    /// <summary>The window for counting restarts; <see cref="Timeout.InfiniteTimeSpan"/> or zero counts forever.</summary>
    public TimeSpan WithinTimeRange { get; }

    /// <summary>Picks the directive for a failure.</summary>
    public IDecider Decider { get; }

    /// <summary>Whether the supervisor logs its children's failures.</summary>
    public bool LoggingEnabled { get; }

    /// <summary>Restart on any exception, except stop on initialization failure, kill and death pact.</summary>
    public static IDecider DefaultDecider { get; } = Kernel.Decider.From(cause => cause switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    });

    /// <summary>One-for-one with <see cref="DefaultDecider"/> and unlimited restarts.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(DefaultDecider);

    /// <summary>One-for-one that stops a child on any failure.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>True for <see cref="AllForOneStrategy"/>: a decision applies to every child.</summary>
    internal abstract bool AppliesToAllChildren { get; }

    internal bool RequestRestartPermission(ChildRestartStats stats, long nowTimestamp, TimeProvider time)
    {
        if (MaxNumberOfRetries < 0)
        {
            return true;
        }
        if (MaxNumberOfRetries == 0)
        {
            return false;
        }
        var windowed = WithinTimeRange > TimeSpan.Zero && WithinTimeRange != Timeout.InfiniteTimeSpan;
        if (!windowed)
        {
            stats.RestartCount++;
            return stats.RestartCount <= MaxNumberOfRetries;
        }
        if (stats.RestartCount == 0 || time.GetElapsedTime(stats.WindowStart, nowTimestamp) > WithinTimeRange)
        {
            // A new window opens with this restart.
            stats.WindowStart = nowTimestamp;
            stats.RestartCount = 1;
            return true;
        }
        stats.RestartCount++;
        return stats.RestartCount <= MaxNumberOfRetries;
    }

    private protected static int ToRetries(int? maxNrOfRetries) => maxNrOfRetries ?? -1;

    private protected static TimeSpan ToWindow(TimeSpan? withinTimeRange) => withinTimeRange ?? Timeout.InfiniteTimeSpan;
}

/// <summary>Applies the directive to the failed child only.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    /// <summary>Unlimited restarts, decided by <paramref name="localOnlyDecider"/>.</summary>
    public OneForOneStrategy(Func<Exception, Directive> localOnlyDecider)
        : this(null, null, localOnlyDecider) { }

    /// <summary>At most <paramref name="maxNrOfRetries"/> restarts within <paramref name="withinTimeRange"/> (null: unlimited).</summary>
    public OneForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true)
        : base(ToRetries(maxNrOfRetries), ToWindow(withinTimeRange), Kernel.Decider.From(localOnlyDecider), loggingEnabled) { }

    /// <summary>At most <paramref name="maxNrOfRetries"/> restarts within <paramref name="withinTimeRange"/>, decided by <paramref name="decider"/>.</summary>
    public OneForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, IDecider decider, bool loggingEnabled = true)
        : base(ToRetries(maxNrOfRetries), ToWindow(withinTimeRange), decider, loggingEnabled) { }

    /// <summary>Akka's millisecond form of the window.</summary>
    public OneForOneStrategy(int maxNrOfRetries, int withinTimeMilliseconds, Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true)
        : base(maxNrOfRetries, TimeSpan.FromMilliseconds(withinTimeMilliseconds), Kernel.Decider.From(localOnlyDecider), loggingEnabled) { }

    /// <summary>Unlimited restarts, decided by <paramref name="decider"/>.</summary>
    public OneForOneStrategy(IDecider decider) : this(null, null, decider) { }

    internal override bool AppliesToAllChildren => false;
}

/// <summary>Applies Restart and Stop to every child of the supervisor, not only the failed one.</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    /// <summary>Unlimited restarts, decided by <paramref name="localOnlyDecider"/>.</summary>
    public AllForOneStrategy(Func<Exception, Directive> localOnlyDecider)
        : this(null, null, localOnlyDecider) { }

    /// <summary>At most <paramref name="maxNrOfRetries"/> restarts within <paramref name="withinTimeRange"/> (null: unlimited).</summary>
    public AllForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true)
        : base(ToRetries(maxNrOfRetries), ToWindow(withinTimeRange), Kernel.Decider.From(localOnlyDecider), loggingEnabled) { }

    /// <summary>At most <paramref name="maxNrOfRetries"/> restarts within <paramref name="withinTimeRange"/>, decided by <paramref name="decider"/>.</summary>
    public AllForOneStrategy(int? maxNrOfRetries, TimeSpan? withinTimeRange, IDecider decider, bool loggingEnabled = true)
        : base(ToRetries(maxNrOfRetries), ToWindow(withinTimeRange), decider, loggingEnabled) { }

    /// <summary>Akka's millisecond form of the window.</summary>
    public AllForOneStrategy(int maxNrOfRetries, int withinTimeMilliseconds, Func<Exception, Directive> localOnlyDecider, bool loggingEnabled = true)
        : base(maxNrOfRetries, TimeSpan.FromMilliseconds(withinTimeMilliseconds), Kernel.Decider.From(localOnlyDecider), loggingEnabled) { }

    /// <summary>Unlimited restarts, decided by <paramref name="decider"/>.</summary>
    public AllForOneStrategy(IDecider decider) : this(null, null, decider) { }

    internal override bool AppliesToAllChildren => true;
}

/// <summary>Restart bookkeeping that a parent keeps for each child.</summary>
internal sealed class ChildRestartStats
{
    public int RestartCount { get; set; }

    public long WindowStart { get; set; }
}
