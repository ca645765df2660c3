using Lan.Actors.Kernel;
using Lan.Actors.TestKit;

namespace Lan.Actors.Tests.Kernel;

/// <summary>Timers run on a manual clock: time moves only when the test advances it.</summary>
public sealed class TimersSpec : ManualTimeTestKit
{
    [Fact]
    public void SingleTimer_FiresOnce_AfterItsDelay()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartSingle("tick", TimeSpan.FromSeconds(5)));
        ExpectMsg("started");
        Time.Advance(TimeSpan.FromSeconds(4));
        ExpectNoMsg();
        Time.Advance(TimeSpan.FromSeconds(1));
        ExpectMsg("tick");
        Time.Advance(TimeSpan.FromSeconds(30));
        ExpectNoMsg();
    }

    [Fact]
    public void PeriodicTimer_FiresEveryInterval_UntilCancelled()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartPeriodic("beat", TimeSpan.FromSeconds(1)));
        ExpectMsg("started");
        for (var i = 0; i < 3; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            ExpectMsg("beat");
        }
        actor.Tell("cancel");
        ExpectMsg("cancelled:False");
        Time.Advance(TimeSpan.FromSeconds(5));
        ExpectNoMsg();
    }

    [Fact]
    public void CancelledTimer_MessageAlreadyQueued_IsNeverDelivered()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartSingle("tick", TimeSpan.FromSeconds(1)));
        ExpectMsg("started");
        // Block the actor with "cancel" queued; the timer's tick is queued behind it, so it is already in
        // the mailbox when the timer is cancelled.
        var gate = new TaskCompletionSource();
        actor.Tell(new Block(gate.Task));
        ExpectMsg("blocked");
        actor.Tell("cancel");
        Time.Advance(TimeSpan.FromSeconds(1));
        gate.SetResult();
        ExpectMsg("unblocked");
        ExpectMsg("cancelled:False");
        ExpectNoMsg();
    }

    [Fact]
    public void Timers_AreCancelled_OnRestart()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartSingle("tick", TimeSpan.FromSeconds(1)));
        ExpectMsg("started");
        actor.Tell("fail");
        actor.Tell("active?");
        ExpectMsg("active:False");
        Time.Advance(TimeSpan.FromSeconds(2));
        ExpectNoMsg();
    }

    [Fact]
    public void Timers_AreCancelled_OnStop()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartPeriodic("beat", TimeSpan.FromSeconds(1)));
        ExpectMsg("started");
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        Assert.Equal(0, Time.PendingTimers);
    }

    [Fact]
    public void StartingATimerWithTheSameKey_ReplacesIt()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartSingle("first", TimeSpan.FromSeconds(1)));
        ExpectMsg("started");
        actor.Tell(new StartSingle("second", TimeSpan.FromSeconds(3)));
        ExpectMsg("started");
        Time.Advance(TimeSpan.FromSeconds(3));
        ExpectMsg("second");
        ExpectNoMsg();
    }

    [Fact]
    public void SystemScheduler_TellsOnce_AndCanBeCancelled()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(2), TestActor, "scheduled", ActorRefs.NoSender);
        var cancelled = Sys.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromSeconds(2), TestActor, "cancelled", ActorRefs.NoSender);
        cancelled.Cancel();
        Time.Advance(TimeSpan.FromSeconds(2));
        ExpectMsg("scheduled");
        ExpectNoMsg();
    }

    [Fact]
    public void TimerMessage_StashedThenUnstashed_IsDelivered()
    {
        Sys.ActorOf(Props.Create(() => new StashingTimerActor(TestActor)));
        ExpectMsg("armed");
        Time.Advance(TimeSpan.FromSeconds(1));
        ExpectMsg("stashed tick");
        Time.Advance(TimeSpan.FromSeconds(1));
        ExpectMsg("tick");
        ExpectMsg("tick");
    }

    [Fact]
    public void PeriodicTicks_CanBeStashedRepeatedly()
    {
        var actor = Sys.ActorOf(Props.Create(() => new PeriodicStasher(TestActor)));
        ExpectMsg("armed"); // the timer starts in the constructor: only then may the clock move
        for (var i = 0; i < 3; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
        }
        actor.Tell("count");
        ExpectMsg(3);
    }

    /// <summary>Starts a timer in its constructor, stashes the first tick, and replays it with the second.</summary>
    private sealed class StashingTimerActor : ReceiveActor, IWithTimers, IWithStash
    {
        public StashingTimerActor(IActorRef reportTo)
        {
            Timers.StartPeriodicTimer("tick", "tick", TimeSpan.FromSeconds(1));
            reportTo.Tell("armed");
            var seen = 0;
            Receive<string>(tick =>
            {
                if (++seen == 1)
                {
                    Stash.Stash();
                    reportTo.Tell("stashed tick");
                    return;
                }
                Timers.Cancel("tick");
                Become(() => Receive<string>(reportTo.Tell));
                reportTo.Tell(tick);
                Stash.UnstashAll();
            });
        }

        public ITimerScheduler Timers { get; set; } = null!;

        public IStash Stash { get; set; } = null!;
    }

    private sealed class PeriodicStasher : ReceiveActor, IWithTimers, IWithStash
    {
        public PeriodicStasher(IActorRef reportTo)
        {
            Timers.StartPeriodicTimer("tick", "tick", TimeSpan.FromSeconds(1));
            reportTo.Tell("armed");
            Receive<string>(m => m == "count", _ => Sender.Tell(Stash.Count));
            Receive<string>(_ => Stash.Stash());
        }

        public ITimerScheduler Timers { get; set; } = null!;

        public IStash Stash { get; set; } = null!;
    }

    private sealed record StartSingle(string Message, TimeSpan Delay);

    private sealed record StartPeriodic(string Message, TimeSpan Interval);

    private sealed record Block(Task Gate);

    private sealed class TimerActor : ReceiveActor, IWithTimers
    {
        public TimerActor(IActorRef reportTo)
        {
            Receive<StartSingle>(start =>
            {
                Timers.StartSingleTimer("key", start.Message, start.Delay);
                reportTo.Tell("started");
            });
            Receive<StartPeriodic>(start =>
            {
                Timers.StartPeriodicTimer("key", start.Message, start.Interval);
                reportTo.Tell("started");
            });
            Receive<Block>(block =>
            {
                reportTo.Tell("blocked");
                block.Gate.Wait();
                reportTo.Tell("unblocked");
            });
            Receive<string>(m => m == "cancel", _ =>
            {
                Timers.Cancel("key");
                reportTo.Tell($"cancelled:{Timers.IsTimerActive("key")}");
            });
            Receive<string>(m => m == "active?", _ => reportTo.Tell($"active:{Timers.IsTimerActive("key")}"));
            Receive<string>(m => m == "fail", _ => throw new InvalidOperationException("restart me"));
            Receive<string>(reportTo.Tell);
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }
}
