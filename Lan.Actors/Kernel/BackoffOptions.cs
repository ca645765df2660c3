namespace Lan.Actors.Kernel;

/// <summary>When a <see cref="BackoffSupervisor"/> starts its child again.</summary>
public enum BackoffMode
{
    /// <summary>After the child failed (its supervisor decided Restart); a child that stops by itself stops the supervisor too.</summary>
    OnFailure,

    /// <summary>After the child stopped, for whatever reason.</summary>
    OnStop,
}

/// <summary>How a <see cref="BackoffSupervisor"/> restarts its child; build with <see cref="Backoff"/>.</summary>
public sealed record BackoffOptions
{
    internal BackoffOptions(BackoffMode mode, Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor, int maxNrOfRetries)
    {
        ArgumentNullException.ThrowIfNull(childProps);
        ActorPath.ValidateName(childName);
        if (minBackoff <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(minBackoff), minBackoff, "minBackoff must be positive, e.g. 200 ms.");
        }
        if (maxBackoff < minBackoff)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBackoff), maxBackoff, $"maxBackoff must be at least minBackoff ({minBackoff}).");
        }
        if (randomFactor is < 0 or > 1 || double.IsNaN(randomFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(randomFactor), randomFactor, "randomFactor must be between 0.0 (no jitter) and 1.0.");
        }
        Mode = mode;
        ChildProps = childProps;
        ChildName = childName;
        MinBackoff = minBackoff;
        MaxBackoff = maxBackoff;
        RandomFactor = randomFactor;
        MaxNrOfRetries = maxNrOfRetries;
        AutoResetAfter = minBackoff;
    }

    /// <summary>When the child is started again.</summary>
    public BackoffMode Mode { get; }

    /// <summary>The child's props.</summary>
    public Props ChildProps { get; }

    /// <summary>The child's name.</summary>
    public string ChildName { get; }

    /// <summary>The first delay; each restart doubles it.</summary>
    public TimeSpan MinBackoff { get; }

    /// <summary>The longest delay (before jitter).</summary>
    public TimeSpan MaxBackoff { get; }

    /// <summary>Up to this fraction of the delay is added at random, so many restarting children do not move in step.</summary>
    public double RandomFactor { get; }

    /// <summary>Restarts before the supervisor gives up and stops; negative means unlimited.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>After the child has run this long, the restart count starts from zero again; null: only on <see cref="BackoffSupervisor.Reset"/>.</summary>
    public TimeSpan? AutoResetAfter { get; init; }

    /// <summary>Decides what a child failure means; Restart means "stop now, start again after the back-off".</summary>
    public IDecider Decider { get; init; } = SupervisorStrategy.DefaultDecider;

    /// <summary>Resets the restart count once the child has run for <paramref name="after"/>.</summary>
    public BackoffOptions WithAutoReset(TimeSpan after) => this with { AutoResetAfter = after };

    /// <summary>Resets the restart count only when the supervisor receives <see cref="BackoffSupervisor.Reset"/>.</summary>
    public BackoffOptions WithManualReset() => this with { AutoResetAfter = null };

    /// <summary>Uses <paramref name="strategy"/>'s decider for child failures.</summary>
    public BackoffOptions WithSupervisorStrategy(SupervisorStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return this with { Decider = strategy.Decider };
    }
}

/// <summary>Builds <see cref="BackoffOptions"/> (Akka's <c>Backoff</c>).</summary>
public static class Backoff
{
    /// <summary>Restart the child with back-off after it fails.</summary>
    public static BackoffOptions OnFailure(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor, int maxNrOfRetries = -1) =>
        new(BackoffMode.OnFailure, childProps, childName, minBackoff, maxBackoff, randomFactor, maxNrOfRetries);

    /// <summary>Restart the child with back-off after it stops.</summary>
    public static BackoffOptions OnStop(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor, int maxNrOfRetries = -1) =>
        new(BackoffMode.OnStop, childProps, childName, minBackoff, maxBackoff, randomFactor, maxNrOfRetries);
}
