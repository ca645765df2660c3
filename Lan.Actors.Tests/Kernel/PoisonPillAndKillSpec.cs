using Lan.Actors.Kernel;

namespace Lan.Actors.Tests.Kernel;

public sealed class PoisonPillAndKillSpec : TestKit.TestKit
{
    [Fact]
    public void PoisonPill_IsProcessedInMailboxOrder()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        actor.Tell("first");
        actor.Tell("second");
        actor.Tell(PoisonPill.Instance);
        actor.Tell("after the pill");
        ExpectMsg("first");
        ExpectMsg("second");
        ExpectTerminated(actor);
    }

    [Fact]
    public void Kill_FailsWithActorKilledException_AndTheDefaultStrategyStops()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor)));
        ExpectMsg("PreStart");
        Watch(actor);
        actor.Tell(Kill.Instance);
        ExpectMsg("PostStop");
        ExpectTerminated(actor);
    }

    [Fact]
    public void Stop_RunsPostStop_OfChildrenBeforeTheParent()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Family(TestActor)), "family");
        ExpectMsg("ready");
        Sys.Stop(parent);
        var stops = ReceiveN(3).Cast<string>().ToList();
        Assert.Equal("stopped family", stops[^1]);
        Assert.Contains("stopped kid-1", stops);
        Assert.Contains("stopped kid-2", stops);
    }

    private sealed class Family : ReceiveActor
    {
        private readonly IActorRef _reportTo;

        public Family(IActorRef reportTo)
        {
            _reportTo = reportTo;
            Context.ActorOf(Props.Create(() => new Reporter(reportTo)), "kid-1");
            Context.ActorOf(Props.Create(() => new Reporter(reportTo)), "kid-2");
            reportTo.Tell("ready");
        }

        protected override void PostStop() => _reportTo.Tell("stopped family");
    }

    private sealed class Reporter(IActorRef reportTo) : ReceiveActor
    {
        protected override void PostStop() => reportTo.Tell($"stopped {Self.Path.Name}");
    }
}
