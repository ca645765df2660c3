using Lan.Actors.Kernel;
using Lan.Actors.TestKit;

namespace Lan.Actors.Tests.Kernel;

public sealed class ReceiveTimeoutSpec : ManualTimeTestKit
{
    [Fact]
    public void Inactivity_DeliversReceiveTimeout()
    {
        Sys.ActorOf(Props.Create(() => new Sleepy(TestActor, TimeSpan.FromSeconds(10))));
        ExpectMsg("ready");
        Time.Advance(TimeSpan.FromSeconds(10));
        ExpectMsg("timeout");
    }

    [Fact]
    public void Messages_PostponeTheTimeout()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Sleepy(TestActor, TimeSpan.FromSeconds(10))));
        ExpectMsg("ready");
        Time.Advance(TimeSpan.FromSeconds(6));
        actor.Tell("poke");
        ExpectMsg("poke");
        Time.Advance(TimeSpan.FromSeconds(6)); // 12 s since start, 6 s since the poke
        ExpectNoMsg();
        Time.Advance(TimeSpan.FromSeconds(4));
        ExpectMsg("timeout");
    }

    [Fact]
    public void ClearingTheTimeout_StopsIt()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Sleepy(TestActor, TimeSpan.FromSeconds(10))));
        ExpectMsg("ready");
        actor.Tell("clear");
        ExpectMsg("clear");
        Time.Advance(TimeSpan.FromSeconds(60));
        ExpectNoMsg();
    }

    private sealed class Sleepy : ReceiveActor
    {
        public Sleepy(IActorRef reportTo, TimeSpan timeout)
        {
            SetReceiveTimeout(timeout);
            Receive<ReceiveTimeout>(_ => reportTo.Tell("timeout"));
            Receive<string>(m => m == "clear", m =>
            {
                SetReceiveTimeout(null);
                reportTo.Tell(m);
            });
            Receive<string>(reportTo.Tell);
            reportTo.Tell("ready");
        }
    }
}
