namespace Lan.Actors.Kernel;

/// <summary>
/// Supervises one child and starts it again after exponentially growing, jittered delays, so that a
/// resource that keeps failing (a server that is down) is not hammered. Messages to the supervisor go
/// to the child while it runs, and to dead letters while it waits to be restarted.
/// </summary>
public sealed class BackoffSupervisor : ReceiveActor, IWithTimers
{
    private readonly BackoffOptions _options;
    private IActorRef? _child;
    private int _restartCount;
    private bool _childFailed;

    /// <summary>Asks for the current child; answered with <see cref="CurrentChild"/>.</summary>
    public sealed record GetCurrentChild
    {
        /// <summary>The single instance.</summary>
        public static readonly GetCurrentChild Instance = new();
    }

    /// <summary>The current child, or <see cref="ActorRefs.Nobody"/> while it waits to be restarted.</summary>
    public sealed record CurrentChild(IActorRef Ref);

    /// <summary>Asks for the restart count; answered with <see cref="RestartCount"/>.</summary>
    public sealed record GetRestartCount
    {
        /// <summary>The single instance.</summary>
        public static readonly GetRestartCount Instance = new();
    }

    /// <summary>How many restarts since the last reset.</summary>
    public sealed record RestartCount(int Count);

    /// <summary>Sets the restart count back to zero.</summary>
    public sealed record Reset
    {
        /// <summary>The single instance.</summary>
        public static readonly Reset Instance = new();
    }

    private sealed record StartChild;

    private sealed record ResetRestartCount(int Current);

    /// <summary>Creates the supervisor (use <see cref="Props(BackoffOptions)"/>).</summary>
    public BackoffSupervisor(BackoffOptions options)
    {
        _options = options;
        Receive<Terminated>(OnChildTerminated);
        Receive<StartChild>(_ => StartChildNow());
        Receive<ResetRestartCount>(reset =>
        {
            if (reset.Current == _restartCount)
            {
                _restartCount = 0;
            }
        });
        Receive<GetCurrentChild>(_ => Sender.Tell(new CurrentChild(_child ?? ActorRefs.Nobody)));
        Receive<GetRestartCount>(_ => Sender.Tell(new RestartCount(_restartCount)));
        Receive<Reset>(_ => _restartCount = 0);
        ReceiveAny(message => (_child ?? Context.System.DeadLetters).Forward(message));
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for a back-off supervisor.</summary>
    public static Props Props(BackoffOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Kernel.Props.Create(() => new BackoffSupervisor(options));
    }

    /// <summary>Akka's classic form: restart after the child stops.</summary>
    public static Props Props(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor) =>
        Props(Backoff.OnStop(childProps, childName, minBackoff, maxBackoff, randomFactor));

    /// <summary>
    /// The delay before restart number <paramref name="restartCount"/> (0-based): <paramref name="minBackoff"/> doubled per
    /// restart, capped at <paramref name="maxBackoff"/>, then stretched by a random 0..<paramref name="randomFactor"/>.
    /// </summary>
    public static TimeSpan CalculateDelay(int restartCount, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor, Random? random = null)
    {
        var jitter = 1.0 + (random ?? Random.Shared).NextDouble() * randomFactor;
        var doubled = restartCount >= 62 ? double.MaxValue : minBackoff.Ticks * Math.Pow(2, restartCount);
        var capped = Math.Min(maxBackoff.Ticks, doubled);
        return TimeSpan.FromTicks((long)Math.Min(capped * jitter, TimeSpan.MaxValue.Ticks / 2.0));
    }

    /// <inheritdoc />
    protected override void PreStart() => StartChildNow();

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(cause =>
    {
        var directive = _options.Decider.Decide(cause);
        if (directive != Directive.Restart || _options.Mode != BackoffMode.OnFailure)
        {
            return directive;
        }
        // Restart now would retry at once; stop instead and start again after the back-off.
        _childFailed = true;
        return Directive.Stop;
    });

    private void StartChildNow()
    {
        _childFailed = false;
        // Started before the child, so the timer already runs by the time the child can say it started.
        if (_options.AutoResetAfter is { } after && _restartCount > 0)
        {
            Timers.StartSingleTimer("reset", new ResetRestartCount(_restartCount), after);
        }
        _child = Context.Watch(Context.ActorOf(_options.ChildProps, _options.ChildName));
    }

    private void OnChildTerminated(Terminated terminated)
    {
        if (!terminated.ActorRef.Equals(_child))
        {
            return;
        }
        _child = null;
        Timers.Cancel("reset");
        var restart = _options.Mode == BackoffMode.OnStop || _childFailed;
        if (!restart || (_options.MaxNrOfRetries >= 0 && _restartCount >= _options.MaxNrOfRetries))
        {
            Context.Stop(Self);
            return;
        }
        var delay = CalculateDelay(_restartCount, _options.MinBackoff, _options.MaxBackoff, _options.RandomFactor);
        _restartCount++;
        Timers.StartSingleTimer("backoff", new StartChild(), delay);
    }
}
