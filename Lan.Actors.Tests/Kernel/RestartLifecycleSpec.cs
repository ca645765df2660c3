using Lan.Actors.Kernel;

namespace Lan.Actors.Tests.Kernel;

public sealed class RestartLifecycleSpec : TestKit.TestKit
{
    [Fact]
    public void Restart_KeepsTheMailbox_AndDropsTheFailingMessage()
    {
        var actor = Sys.ActorOf(Props.Create(() => new GatedActor(TestActor)));
        ExpectMsg("started");
        // Queue a failure and two messages behind a gate so they are all in the mailbox at once.
        actor.Tell("hold");
        actor.Tell("fail");
        actor.Tell("after-1");
        actor.Tell("after-2");
        actor.Tell("release");
        ExpectMsg("started");
        ExpectMsg("after-1");
        ExpectMsg("after-2");
        ExpectNoMsg();
    }

    [Fact]
    public void PreRestart_ByDefault_StopsChildren_AndCallsPostStop()
    {
        var parent = Sys.ActorOf(Props.Create(() => new ParentWithChild(TestActor)));
        var child = ExpectMsg<IActorRef>();
        Watch(child);
        parent.Tell("fail");
        // The child's Terminated and the parent's PostStop race each other: accept either order.
        var seen = ReceiveN(2);
        Assert.Contains("parent-PostStop", seen);
        Assert.Contains(seen, m => m is Terminated t && t.ActorRef.Equals(child));
        // PostRestart -> PreStart creates a fresh child.
        var newChild = ExpectMsg<IActorRef>();
        Assert.NotEqual(child, newChild);
        Assert.Equal(child.Path, newChild.Path);
    }

    [Fact]
    public void DefaultPreRestart_UnwatchesTheChildrenItStops_SoTheNewInstanceLives()
    {
        var parent = Sys.ActorOf(Props.Create(() => new WatchingParent(TestActor)));
        ExpectMsg<IActorRef>();
        Watch(parent);
        parent.Tell("fail");
        ExpectMsg<IActorRef>(); // the new instance made its child
        parent.Tell("alive?");
        ExpectMsg("alive");
    }

    private sealed class WatchingParent : ReceiveActor
    {
        public WatchingParent(IActorRef reportTo)
        {
            // Watches its child but has no Terminated handler: a stray Terminated would kill it (death pact).
            reportTo.Tell(Context.Watch(Context.ActorOf(Props.Create<EchoActor>(), "kid")));
            Receive<string>(m => m == "fail", _ => throw new InvalidOperationException("restart"));
            Receive<string>(m => m == "alive?", _ => reportTo.Tell("alive"));
        }
    }

    [Fact]
    public void PostRestart_ByDefault_CallsPreStart_OnTheNewInstance()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor)));
        ExpectMsg("PreStart");
        actor.Tell("x");
        ExpectMsg("x:1");
        actor.Tell(new Fail(new InvalidOperationException("restart")));
        ExpectMsg<PreRestarted>(m => m.Message is Fail);
        ExpectMsg("PostStop");
        ExpectMsg<PostRestarted>();
        ExpectMsg("PreStart");
        actor.Tell("y");
        ExpectMsg("y:1"); // fresh instance, fresh state
    }

    [Fact]
    public void ReferenceStaysValid_AcrossRestarts()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(ActorRefs.Nobody)), "stable");
        for (var i = 0; i < 5; i++)
        {
            actor.Tell(new Fail(new InvalidOperationException("again")));
        }
        actor.Tell("hello");
        ExpectMsg("hello:1");
    }

    private sealed class GatedActor : ReceiveActor, IWithStash
    {
        public GatedActor(IActorRef reportTo)
        {
            reportTo.Tell("started");
            Receive<string>(m => m == "hold", _ => Become(() =>
            {
                Receive<string>(m => m == "release", _ =>
                {
                    Stash.UnstashAll();
                    UnbecomeStackedToNormal(reportTo);
                });
                ReceiveAny(_ => Stash.Stash());
            }));
            Receive<string>(m => m == "fail", _ => throw new InvalidOperationException("failing message"));
            Receive<string>(m => reportTo.Tell(m));
        }

        public IStash Stash { get; set; } = null!;

        private void UnbecomeStackedToNormal(IActorRef reportTo) => Become(() =>
        {
            Receive<string>(m => m == "fail", _ => throw new InvalidOperationException("failing message"));
            Receive<string>(m => reportTo.Tell(m));
        });
    }

    private sealed class ParentWithChild(IActorRef reportTo) : ReceiveActor
    {
        protected override void PreStart()
        {
            reportTo.Tell(Context.ActorOf(Props.Create<EchoActor>(), "kid"));
            Receive<string>(_ => throw new InvalidOperationException("parent fails"));
        }

        protected override void PostStop() => reportTo.Tell("parent-PostStop");
    }
}
