using Lan.Actors.Hocon;
using Serilog;

namespace Lan.Actors.Kernel;

/// <summary>What a system is built with besides configuration: a log and a clock.</summary>
/// <param name="Logger">Where the system logs; Serilog's global <c>Log.Logger</c> when null.</param>
/// <param name="TimeProvider">The clock for timers and the scheduler; tests pass a manual one.</param>
public sealed record ActorSystemSetup(ILogger? Logger = null, TimeProvider? TimeProvider = null);

/// <summary>
/// A hierarchy of actors with its dispatcher, scheduler, event stream and log. Top-level actors made
/// with <see cref="ActorOf"/> live under <c>/user</c>. <see cref="Terminate"/> stops them all, children
/// before parents, running every <c>PostStop</c>.
/// </summary>
public sealed class ActorSystem : IActorRefFactory, IDisposable, IAsyncDisposable
{
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProviderScheduler _scheduler;
    private readonly ActorCell _rootCell;
    private readonly ActorCell _userGuardian;
    private long _uid;
    private volatile bool _terminating;

    private ActorSystem(string name, HoconConfig config, ActorSystemSetup setup)
    {
        Name = name;
        HoconConfig = config;
        Settings = KernelSettings.FromConfig(config);
        TimeProvider = setup.TimeProvider ?? TimeProvider.System;
        StartTime = TimeProvider.GetUtcNow();
        Log = new LoggerConfiguration()
            .MinimumLevel.Is(Settings.LogLevel)
            .WriteTo.Logger(setup.Logger ?? Serilog.Log.Logger)
            .Enrich.WithProperty("ActorSystem", name)
            .CreateLogger();
        _scheduler = new TimeProviderScheduler(TimeProvider);
        var root = ActorPath.Root(name);
        DeadLetters = new DeadLetterActorRef(this, root.Child("deadLetters"));
        _rootCell = new ActorCell(this, new TerminationSink(this, root.Child("bubble-walker")), Props.Create<RootGuardian>(), root);
        _userGuardian = ((LocalActorRef)_rootCell.ActorOf(Props.Create<GuardianActor>(), "user")).Cell;
        SystemGuardian = _rootCell.ActorOf(Props.Create<GuardianActor>(), "system");
        _rootCell.SendSystemMessage(Kernel.Create.Instance);
    }

    /// <summary>Creates a system with the library's defaults.</summary>
    public static ActorSystem Create(string name) => Create(name, null, null);

    /// <summary>Creates a system; <paramref name="config"/> is read over the embedded reference.conf.</summary>
    public static ActorSystem Create(string name, HoconConfig? config, ActorSystemSetup? setup = null)
    {
        ValidateSystemName(name);
        var resolved = (config ?? HoconConfig.Empty).WithFallback(HoconConfig.Reference);
        return new ActorSystem(name, resolved, setup ?? new ActorSystemSetup());
    }

    /// <summary>The system's name, the first element of every path.</summary>
    public string Name { get; }

    /// <summary>The configuration the system was created with, over reference.conf.</summary>
    public HoconConfig HoconConfig { get; }

    /// <summary>The kernel settings read from <see cref="HoconConfig"/>.</summary>
    public KernelSettings Settings { get; }

    /// <summary>The system's log, at the configured level.</summary>
    public ILogger Log { get; }

    /// <summary>The system's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>When the system started.</summary>
    public DateTimeOffset StartTime { get; }

    /// <summary>How long the system has run.</summary>
    public TimeSpan Uptime => TimeProvider.GetUtcNow() - StartTime;

    /// <summary>Publish–subscribe within the system.</summary>
    public EventStream EventStream { get; } = new();

    /// <summary>Where undeliverable messages go.</summary>
    public IActorRef DeadLetters { get; }

    /// <summary>Timers for anything that is not an actor's own.</summary>
    public IScheduler Scheduler => _scheduler;

    /// <summary>The guardian of the system's own actors (<c>/system</c>).</summary>
    public IActorRef SystemGuardian { get; }

    /// <summary>Completes when the system has fully terminated.</summary>
    public Task WhenTerminated => _terminated.Task;

    internal bool IsTerminating => _terminating;

    /// <summary>
    /// The sender of an implicit <c>Tell</c> made outside any actor; the TestKit sets its test actor here so
    /// that replies to a test's messages come back to the test, whichever thread the test runs on.
    /// </summary>
    internal IActorRef? ImplicitSender { get; set; }

    /// <summary>Creates a top-level actor under <c>/user</c>.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => _userGuardian.ActorOf(props, name);

    /// <summary>Stops an actor asynchronously.</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is LocalActorRef local && !ReferenceEquals(local.Cell.System, this))
        {
            throw new ArgumentException($"{actor} belongs to another actor system; stop it through its own system.", nameof(actor));
        }
        ActorRefInternals.SendSystem(actor, Kernel.Terminate.Instance);
    }

    /// <summary>Stops every actor (children before parents, each <c>PostStop</c> runs) and completes <see cref="WhenTerminated"/>.</summary>
    public Task Terminate()
    {
        _terminating = true;
        _userGuardian.SendSystemMessage(Kernel.Terminate.Instance);
        return WhenTerminated;
    }

    /// <summary>Terminates and waits up to ten seconds.</summary>
    public void Dispose()
    {
        if (!Terminate().Wait(TimeSpan.FromSeconds(10)))
        {
            Log.Warning("Actor system {Name} did not terminate within 10 s; some actor is still busy", Name);
        }
    }

    /// <summary>Terminates and waits until done.</summary>
    public async ValueTask DisposeAsync() => await Terminate().ConfigureAwait(false);

    internal long NextUid() => Interlocked.Increment(ref _uid);

    internal void OnRootTerminated()
    {
        _scheduler.Stop();
        Log.Debug("Actor system {Name} terminated", Name);
        _terminated.TrySetResult();
    }

    private static void ValidateSystemName(string name)
    {
        if (string.IsNullOrEmpty(name) || !char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException(
                $"Actor system name \"{name}\" is invalid: use ASCII letters, digits, '-' and '_', starting with a letter or digit.", nameof(name));
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{ActorPath.Scheme}://{Name}";
}
