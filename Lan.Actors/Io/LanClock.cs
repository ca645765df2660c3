using Akka.Actor;

namespace Lan.Actors.Io;

/// <summary>
/// The milliseconds our deadlines (heartbeat, frame time-out, discovery expiry, reply rates) are measured in.
/// With Akka's own scheduler it is the monotonic <see cref="Environment.TickCount64"/>, which no change of
/// the wall clock can move. With any other scheduler, such as Akka.TestKit's <c>TestScheduler</c>, it is that
/// scheduler's <see cref="ITimeProvider.Now"/>: the timers that check a deadline and the clock they read then
/// advance together, so a spec drives them without waiting.
/// </summary>
internal sealed class LanClock
{
    private readonly IScheduler? _virtual;

    private LanClock(IScheduler? virtualScheduler) => _virtual = virtualScheduler;

    /// <summary>The monotonic clock.</summary>
    public static LanClock Monotonic { get; } = new(null);

    /// <summary>Now, in milliseconds; only differences mean anything.</summary>
    public long Now => _virtual is null ? Environment.TickCount64 : _virtual.Now.ToUnixTimeMilliseconds();

    /// <summary>The clock that goes with <paramref name="system"/>'s scheduler.</summary>
    public static LanClock For(ActorSystem system) =>
        system.Scheduler is HashedWheelTimerScheduler ? Monotonic : new LanClock(system.Scheduler);
}
