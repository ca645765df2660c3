using Akka.Actor;
using Akka.TestKit;
using Lan.Actors.TestKit;

namespace Lan.Actors.Tests.TestKit;

/// <summary>Akka's TestScheduler, named in a spec's HOCON, drives timers with no wall-clock waiting.</summary>
public sealed class TestSchedulerSpec() : LanTestKit("""akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit" """)
{
    private sealed class Reminder : ReceiveActor, IWithTimers
    {
        public Reminder()
        {
            Receive<string>(message => message == "start", _ =>
            {
                Timers.StartSingleTimer("remind", "time is up", TimeSpan.FromMinutes(10));
                Sender.Tell("started");
            });
            Receive<string>(message => Context.Parent.Tell(message));
        }

        public ITimerScheduler Timers { get; set; } = null!;
    }

    [Fact]
    public void ATenMinuteTimer_FiresWhenTheTestAdvancesTime_NotBefore()
    {
        var reminder = ActorOfAsTestActorRef<Reminder>(Props.Create<Reminder>(), TestActor);
        reminder.Tell("start");
        ExpectMsg("started");
        var scheduler = (TestScheduler)Sys.Scheduler;
        scheduler.Advance(TimeSpan.FromMinutes(9));
        ExpectNoMsg();
        scheduler.Advance(TimeSpan.FromMinutes(1));
        ExpectMsg("time is up");
    }
}
