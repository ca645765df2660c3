using Lan.Actors.Kernel;

namespace Lan.Actors.Tests.Kernel;

public sealed class StashSpec : TestKit.TestKit
{
    [Fact]
    public void UnstashAll_ReplaysStashedMessages_InOrder_BeforeNewOnes()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Doorman(TestActor)));
        actor.Tell("a");
        actor.Tell("b");
        actor.Tell("open");
        actor.Tell("c");
        ExpectMsg("a");
        ExpectMsg("b");
        ExpectMsg("c");
    }

    [Fact]
    public void Unstash_ReplaysOnlyTheOldest()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Doorman(TestActor)));
        actor.Tell("a");
        actor.Tell("b");
        actor.Tell("one");
        ExpectMsg("a");
        ExpectNoMsg();
    }

    [Fact]
    public void StashingTheSameMessageTwice_Fails()
    {
        var failures = CreateTestProbe();
        Sys.EventStream.Subscribe(failures, typeof(string));
        var parent = Sys.ActorOf(Props.Create(() => new SupervisorActor(new OneForOneStrategy(cause =>
        {
            failures.Tell(cause.GetType().Name);
            return Directive.Stop;
        }))));
        parent.Tell(new CreateChild(Props.Create(() => new DoubleStasher())));
        var child = ExpectMsg<IActorRef>();
        child.Tell("x");
        failures.ExpectMsg(nameof(IllegalActorStateException));
    }

    [Fact]
    public void TheSameMessageObject_SentTwice_IsStashedTwice()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Doorman(TestActor)));
        var shared = "same instance";
        actor.Tell(shared);
        actor.Tell(shared);
        actor.Tell("open");
        ExpectMsg(shared);
        ExpectMsg(shared);
    }

    [Fact]
    public void StashedTerminated_IsDeliveredAsTerminated_AfterUnstash()
    {
        var subject = Sys.ActorOf(Props.Create<EchoActor>());
        var watcher = Sys.ActorOf(Props.Create(() => new TerminatedStasher(subject, TestActor)));
        ExpectMsg("watching");
        Sys.Stop(subject);
        ExpectMsg("stashed");
        watcher.Tell("open");
        Assert.Equal(subject, ExpectMsg<Terminated>().ActorRef);
    }

    private sealed class TerminatedStasher : ReceiveActor, IWithStash
    {
        public TerminatedStasher(IActorRef subject, IActorRef reportTo)
        {
            Context.Watch(subject);
            reportTo.Tell("watching");
            Receive<Terminated>(_ =>
            {
                Stash.Stash();
                reportTo.Tell("stashed");
            });
            Receive<string>(m => m == "open", _ =>
            {
                Become(() => Receive<Terminated>(reportTo.Tell));
                Stash.UnstashAll();
            });
        }

        public IStash Stash { get; set; } = null!;
    }

    [Fact]
    public void StashedMessages_SurviveARestart()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Doorman(TestActor)));
        actor.Tell("a");
        actor.Tell("b");
        actor.Tell("crash");
        // The new instance starts closed again: the stashed messages are back in its mailbox and get stashed anew.
        actor.Tell("open");
        ExpectMsg("a");
        ExpectMsg("b");
    }

    /// <summary>Stashes everything until "open"; "one" unstashes a single message; "crash" fails.</summary>
    private sealed class Doorman : ReceiveActor, IWithStash
    {
        public Doorman(IActorRef reportTo)
        {
            Receive<string>(m => m == "open", _ =>
            {
                Become(() => Receive<string>(reportTo.Tell));
                Stash.UnstashAll();
            });
            Receive<string>(m => m == "one", _ =>
            {
                Become(() => Receive<string>(reportTo.Tell));
                Stash.Unstash();
            });
            Receive<string>(m => m == "crash", _ => throw new InvalidOperationException("crash"));
            ReceiveAny(_ => Stash.Stash());
        }

        public IStash Stash { get; set; } = null!;
    }

    private sealed class DoubleStasher : ReceiveActor, IWithStash
    {
        public DoubleStasher() => ReceiveAny(_ =>
        {
            Stash.Stash();
            Stash.Stash();
        });

        public IStash Stash { get; set; } = null!;
    }
}
