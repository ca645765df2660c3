using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Lan.Actors.Kernel;

namespace Lan.Actors.TestKit;

/// <summary>
/// The expectations shared by <see cref="TestKit"/> and <see cref="TestProbe"/>: a test actor whose
/// messages are queued, and ways to wait for them. Every default timeout is dilated by
/// <c>lan.kernel.test.timefactor</c> (or the environment variable <c>LAN_TEST_TIMEFACTOR</c>).
/// </summary>
public abstract partial class TestKitBase
{
    /// <summary>Overrides <c>lan.kernel.test.timefactor</c> for slow machines, e.g. <c>LAN_TEST_TIMEFACTOR=3</c> (reference.conf reads it).</summary>
    public const string TimeFactorVariable = "LAN_TEST_TIMEFACTOR";

    private readonly Channel<MessageEnvelope> _queue = Channel.CreateUnbounded<MessageEnvelope>();
    private readonly LinkedList<MessageEnvelope> _putBack = new();
    private readonly Lock _gate = new();
    private DateTime? _end;
    private MessageEnvelope? _last;

    /// <summary>Creates the test actor in <paramref name="system"/>.</summary>
    protected TestKitBase(ActorSystem system, string? testActorName = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        Sys = system;
        TimeFactor = system.Settings.TestTimeFactor;
        TestActor = system.ActorOf(Props.Create(() => new TestActor(_queue.Writer)), testActorName ?? NextTestActorName());
    }

    private static long s_testActors;

    private static string NextTestActorName() => "testActor" + Interlocked.Increment(ref s_testActors).ToString(CultureInfo.InvariantCulture);

    /// <summary>The system under test.</summary>
    public ActorSystem Sys { get; }

    /// <summary>The actor whose received messages the expectations read.</summary>
    public IActorRef TestActor { get; }

    /// <summary>The factor by which default timeouts are stretched.</summary>
    public double TimeFactor { get; }

    /// <summary>The sender of the last message an expectation took.</summary>
    public IActorRef LastSender => _last?.Sender ?? Sys.DeadLetters;

    /// <summary>The last message an expectation took.</summary>
    public object? LastMessage => _last?.Message;

    /// <summary>Whether messages are queued that no expectation has taken yet.</summary>
    public bool HasMessages
    {
        get
        {
            lock (_gate)
            {
                return _putBack.Count > 0 || _queue.Reader.Count > 0;
            }
        }
    }

    /// <summary><paramref name="duration"/> stretched by <see cref="TimeFactor"/>.</summary>
    public TimeSpan Dilated(TimeSpan duration) =>
        duration == Timeout.InfiniteTimeSpan ? duration : TimeSpan.FromTicks((long)(duration.Ticks * TimeFactor));

    /// <summary>The time left in the enclosing <c>Within</c> block, or the dilated default expectation timeout.</summary>
    public TimeSpan RemainingOrDefault => _end is { } end ? Max(end - DateTime.UtcNow, TimeSpan.Zero) : Dilated(Sys.Settings.SingleExpectDefault);

    /// <summary>The time left in the enclosing <c>Within</c> block; fails outside one.</summary>
    public TimeSpan Remaining => _end is { } end
        ? Max(end - DateTime.UtcNow, TimeSpan.Zero)
        : throw new InvalidOperationException("Remaining is only defined inside Within(...); use RemainingOrDefault.");

    /// <summary>Creates a probe: another test actor with its own queue, in the same system.</summary>
    public TestProbe CreateTestProbe(string? name = null) => new(Sys, name);

    /// <summary>Makes the test actor watch <paramref name="actor"/>; its Terminated arrives in the queue.</summary>
    public IActorRef Watch(IActorRef actor)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TestActor.Tell(new TestActor.WatchCommand(actor, done), ActorRefs.NoSender);
        WaitForCommand(done.Task, "Watch");
        return actor;
    }

    /// <summary>Stops the test actor watching <paramref name="actor"/>.</summary>
    public IActorRef Unwatch(IActorRef actor)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        TestActor.Tell(new TestActor.UnwatchCommand(actor, done), ActorRefs.NoSender);
        WaitForCommand(done.Task, "Unwatch");
        return actor;
    }

    private void WaitForCommand(Task task, string what)
    {
        if (!task.Wait(RemainingOrDefault))
        {
            throw new TestKitAssertionException($"{what} was not confirmed by the test actor within {Format(RemainingOrDefault)}.");
        }
    }

    /// <summary>Takes the next message, waiting up to <paramref name="timeout"/>; null if none arrived.</summary>
    protected async Task<MessageEnvelope?> TryReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (TryTakeNow(out var ready))
        {
            return _last = ready;
        }
        if (timeout <= TimeSpan.Zero)
        {
            return null;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(deadline.Token).ConfigureAwait(false))
            {
                if (TryTakeNow(out var envelope))
                {
                    return _last = envelope;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The wait ran out: the caller reports what it expected.
        }
        return null;
    }

    private bool TryTakeNow(out MessageEnvelope envelope)
    {
        lock (_gate)
        {
            if (_putBack.First is { } first)
            {
                envelope = first.Value;
                _putBack.RemoveFirst();
                return true;
            }
        }
        return _queue.Reader.TryRead(out envelope!);
    }

    /// <summary>Returns a message to the front of the queue, for expectations that look without taking.</summary>
    protected void PutBack(MessageEnvelope envelope)
    {
        lock (_gate)
        {
            _putBack.AddFirst(envelope);
        }
    }

    private TimeSpan Resolve(TimeSpan? timeout) => timeout is { } explicitTimeout ? Dilated(explicitTimeout) : RemainingOrDefault;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Formats a duration for failure messages.</summary>
    protected static string Format(TimeSpan duration) => duration.TotalSeconds >= 1
        ? duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s"
        : duration.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture) + " ms";

    private static string Describe(MessageEnvelope envelope) =>
        $"{envelope.Message} ({envelope.Message.GetType().Name}) from {envelope.Sender.Path}";

    private static string Hint(string? hint) => string.IsNullOrEmpty(hint) ? "" : $" [{hint}]";

    /// <summary>Runs <paramref name="action"/> and returns how long it took (for Within).</summary>
    private static TimeSpan Measure(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed;
    }
}
