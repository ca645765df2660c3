using Lan.Actors.Kernel;
using Lan.Actors.TestKit;

namespace Lan.Actors.Tests.Kernel;

public sealed class SupervisionSpec : TestKit.TestKit
{
    private IActorRef ChildOf(SupervisorStrategy strategy, IActorRef reportTo, string name = "child")
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(strategy)));
        supervisor.Tell(new CreateChild(Props.Create(() => new LifecycleActor(reportTo)), name));
        return ExpectMsg<IActorRef>();
    }

    [Fact]
    public void DefaultStrategy_RestartsOnException()
    {
        var probe = CreateTestProbe();
        var child = ChildOf(SupervisorStrategy.DefaultStrategy, probe);
        probe.ExpectMsg("PreStart");
        var boom = new InvalidOperationException("boom");
        child.Tell(new Fail(boom));
        Assert.Same(boom, probe.ExpectMsg<PreRestarted>().Reason);
        probe.ExpectMsg("PostStop");
        Assert.Same(boom, probe.ExpectMsg<PostRestarted>().Reason);
        probe.ExpectMsg("PreStart");
        child.Tell("ping");
        ExpectMsg("ping:1");
    }

    [Fact]
    public void Resume_KeepsTheState_AndDropsTheFailingMessage()
    {
        var probe = CreateTestProbe();
        var child = ChildOf(new OneForOneStrategy(_ => Directive.Resume), probe);
        probe.ExpectMsg("PreStart");
        child.Tell("a");
        ExpectMsg("a:1");
        child.Tell(new Fail(new InvalidOperationException("resume me")));
        child.Tell("b");
        ExpectMsg("b:2");
        probe.ExpectNoMsg();
    }

    [Fact]
    public void Stop_StopsTheChild_AndTellsItsWatchers()
    {
        var probe = CreateTestProbe();
        var child = ChildOf(new OneForOneStrategy(_ => Directive.Stop), probe);
        probe.ExpectMsg("PreStart");
        Watch(child);
        child.Tell(new Fail(new InvalidOperationException("stop me")));
        probe.ExpectMsg("PostStop");
        ExpectTerminated(child);
    }

    [Fact]
    public void Escalate_FailsTheParentWithTheSameException()
    {
        var failures = CreateTestProbe();
        var boom = new ArgumentException("escalated");
        // The grandparent records what reaches it, then stops the failing parent.
        var grandparent = Sys.ActorOf(Props.Create(() => new SupervisorActor(new OneForOneStrategy(cause =>
        {
            failures.Tell(cause);
            return Directive.Stop;
        }))));
        grandparent.Tell(new CreateChild(Props.Create(() => new SupervisorActor(new OneForOneStrategy(_ => Directive.Escalate))), "parent"));
        var parent = ExpectMsg<IActorRef>();
        parent.Tell(new CreateChild(Props.Create(() => new LifecycleActor(TestActor)), "child"));
        var child = ExpectMsg<IActorRef>();
        ExpectMsg("PreStart");
        child.Tell(new Fail(boom));
        Assert.Same(boom, failures.ExpectMsg<ArgumentException>());
    }

    [Fact]
    public void EscalateThenResume_ResumesTheChildThatFailed()
    {
        var grandparent = Sys.ActorOf(Props.Create(() => new SupervisorActor(new OneForOneStrategy(_ => Directive.Resume))));
        grandparent.Tell(new CreateChild(Props.Create(() => new SupervisorActor(new OneForOneStrategy(_ => Directive.Escalate))), "parent"));
        var parent = ExpectMsg<IActorRef>();
        parent.Tell(new CreateChild(Props.Create(() => new LifecycleActor(ActorRefs.Nobody)), "child"));
        var child = ExpectMsg<IActorRef>();
        child.Tell(new Fail(new InvalidOperationException("escalated, then resumed")));
        child.Tell("after");
        ExpectMsg("after:1");
    }

    [Fact]
    public void WhileAParentAwaitsItsSupervisor_ItsChildrenHoldTheirMessages()
    {
        var deciding = CreateTestProbe();
        using var gate = new ManualResetEventSlim();
        try
        {
            HoldAndRelease(deciding, gate);
        }
        finally
        {
            gate.Set(); // never leave the supervisor blocked, even when an expectation fails
        }
    }

    private void HoldAndRelease(TestProbe deciding, ManualResetEventSlim gate)
    {
        var grandparent = Sys.ActorOf(Props.Create(() => new SupervisorActor(new OneForOneStrategy(_ =>
        {
            deciding.Tell("deciding");
            gate.Wait(); // the decision waits for the test, so the suspension can be observed
            return Directive.Resume;
        }))));
        grandparent.Tell(new CreateChild(Props.Create(() => new SupervisorActor(SupervisorStrategy.DefaultStrategy)), "parent"));
        var parent = ExpectMsg<IActorRef>();
        parent.Tell(new CreateChild(Props.Create(() => new LifecycleActor(ActorRefs.Nobody)), "child"));
        var child = ExpectMsg<IActorRef>();
        parent.Tell(new Fail(new InvalidOperationException("parent fails")));
        deciding.ExpectMsg("deciding");
        child.Tell("held");
        ExpectNoMsg();
        gate.Set();
        ExpectMsg("held:1");
    }

    [Fact]
    public void AllForOne_RestartsEverySibling()
    {
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(new AllForOneStrategy(_ => Directive.Restart))));
        supervisor.Tell(new CreateChild(Props.Create(() => new LifecycleActor(first)), "first"));
        var failing = ExpectMsg<IActorRef>();
        supervisor.Tell(new CreateChild(Props.Create(() => new LifecycleActor(second)), "second"));
        ExpectMsg<IActorRef>();
        first.ExpectMsg("PreStart");
        second.ExpectMsg("PreStart");
        failing.Tell(new Fail(new InvalidOperationException("one fails")));
        first.ExpectMsg<PreRestarted>();
        second.ExpectMsg<PreRestarted>();
        first.FishForMessage<string>(m => m == "PreStart");
        second.FishForMessage<string>(m => m == "PreStart");
    }

    /// <summary>Two children "a" and "b" of a supervisor with <paramref name="strategy"/>, watched by the test.</summary>
    private (IActorRef A, IActorRef B) WatchedSiblingsUnder(SupervisorStrategy strategy)
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(strategy)));
        supervisor.Tell(new CreateChild(Props.Create(() => new LifecycleActor(ActorRefs.Nobody)), "a"));
        var a = Watch(ExpectMsg<IActorRef>());
        supervisor.Tell(new CreateChild(Props.Create(() => new LifecycleActor(ActorRefs.Nobody)), "b"));
        var b = Watch(ExpectMsg<IActorRef>());
        return (a, b);
    }

    [Fact]
    public void AllForOne_ChargesEverySiblingsRestartBudget()
    {
        var (a, b) = WatchedSiblingsUnder(new AllForOneStrategy(1, TimeSpan.FromMinutes(1), _ => Directive.Restart));
        a.Tell(new Fail(new InvalidOperationException("a fails: both restart, each uses its one restart")));
        a.Tell("still alive?");
        ExpectMsg("still alive?:1");
        b.Tell(new Fail(new InvalidOperationException("b fails: b's budget is spent, so all stop")));
        ExpectMsgAllOf(new Terminated(a), new Terminated(b));
    }

    [Fact]
    public void AllForOne_StopEndsEverySibling()
    {
        var (a, b) = WatchedSiblingsUnder(new AllForOneStrategy(_ => Directive.Stop));
        a.Tell(new Fail(new InvalidOperationException("all stop")));
        ExpectMsgAllOf(new Terminated(a), new Terminated(b));
    }

    [Fact]
    public void MaxRetriesWithinWindow_ThenStops()
    {
        var probe = CreateTestProbe();
        var child = ChildOf(new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart), probe);
        probe.ExpectMsg("PreStart");
        Watch(child);
        for (var restart = 1; restart <= 2; restart++)
        {
            child.Tell(new Fail(new InvalidOperationException($"failure {restart}")));
            probe.FishForMessage<string>(m => m == "PreStart");
        }
        child.Tell(new Fail(new InvalidOperationException("one too many")));
        ExpectTerminated(child);
    }

    [Fact]
    public void ZeroRetries_StopsAtTheFirstFailure()
    {
        var probe = CreateTestProbe();
        var child = ChildOf(new OneForOneStrategy(0, TimeSpan.FromMinutes(1), _ => Directive.Restart), probe);
        Watch(child);
        child.Tell(new Fail(new InvalidOperationException("no retries")));
        ExpectTerminated(child);
    }

    [Fact]
    public void FailingConstructor_StopsTheActor_WithActorInitializationException()
    {
        var failures = CreateTestProbe();
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(new OneForOneStrategy(cause =>
        {
            failures.Tell(cause);
            return SupervisorStrategy.DefaultDecider.Decide(cause);
        }))));
        supervisor.Tell(new CreateChild(Props.Create(() => new ThrowingConstructorActor())));
        var child = ExpectMsg<IActorRef>();
        Watch(child);
        var cause = failures.ExpectMsg<ActorInitializationException>();
        Assert.IsType<FormatException>(cause.InnerException);
        ExpectTerminated(child);
    }

    [Fact]
    public void Decider_FromTypeTable_PicksTheMostSpecificType()
    {
        var decider = Decider.From(Directive.Escalate,
            new KeyValuePair<Type, Directive>(typeof(Exception), Directive.Stop),
            new KeyValuePair<Type, Directive>(typeof(ArgumentException), Directive.Resume));
        Assert.Equal(Directive.Resume, decider.Decide(new ArgumentNullException("x")));
        Assert.Equal(Directive.Stop, decider.Decide(new InvalidOperationException()));
    }

    [Fact]
    public void FailureInOneActor_DoesNotDisturbOthers()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        var probe = CreateTestProbe();
        var child = ChildOf(SupervisorStrategy.StoppingStrategy, probe);
        for (var i = 0; i < 20; i++)
        {
            child.Tell(new Fail(new InvalidOperationException("noise")));
        }
        echo.Tell("still here");
        ExpectMsg("still here");
    }

    private sealed class ThrowingConstructorActor : ReceiveActor
    {
        public ThrowingConstructorActor() => throw new FormatException("bad constructor");
    }
}
