using Lan.Actors.Kernel;

namespace Lan.Actors.Tests.Kernel;

public sealed class DeathWatchSpec : TestKit.TestKit
{
    [Fact]
    public void Watch_DeliversTerminated_WhenTheActorStops()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        Sys.Stop(actor);
        var terminated = ExpectTerminated(actor);
        Assert.True(terminated.ExistenceConfirmed);
    }

    [Fact]
    public void Watch_OfAnAlreadyDeadActor_DeliversTerminatedAtOnce()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        var late = CreateTestProbe();
        late.Watch(actor);
        late.ExpectTerminated(actor);
    }

    [Fact]
    public void Terminated_IsDeliveredExactlyOnce_ToEachWatcher()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        var watchers = Enumerable.Range(0, 3).Select(_ => CreateTestProbe()).ToList();
        foreach (var watcher in watchers)
        {
            watcher.Watch(actor);
            watcher.Watch(actor); // watching twice still means one Terminated
        }
        actor.Tell(PoisonPill.Instance);
        foreach (var watcher in watchers)
        {
            watcher.ExpectTerminated(actor);
            watcher.ExpectNoMsg();
        }
    }

    [Fact]
    public void Unwatch_BeforeDeath_MeansNoTerminated()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        Unwatch(actor);
        Sys.Stop(actor);
        ExpectNoMsg();
    }

    [Fact]
    public void WatchWith_DeliversTheCustomMessage()
    {
        var subject = Sys.ActorOf(Props.Create<EchoActor>());
        Sys.ActorOf(Props.Create(() => new CustomWatcher(subject, TestActor)));
        ExpectMsg("watching");
        Sys.Stop(subject);
        ExpectMsg("subject is gone");
    }

    [Fact]
    public void UnhandledTerminated_RaisesDeathPact_AndStopsTheWatcher()
    {
        var subject = Sys.ActorOf(Props.Create<EchoActor>());
        var watcher = Sys.ActorOf(Props.Create(() => new IgnorantWatcher(subject, TestActor)));
        ExpectMsg("watching");
        Watch(watcher);
        Sys.Stop(subject);
        ExpectTerminated(watcher);
    }

    [Fact]
    public void WatchingNobody_DeliversTerminatedAtOnce()
    {
        Watch(ActorRefs.Nobody);
        var terminated = ExpectTerminated(ActorRefs.Nobody);
        Assert.False(terminated.ExistenceConfirmed);
    }

    [Fact]
    public async Task IdentifyToAStoppedActor_AnswersWithNoSubject()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        var identity = await actor.Ask<ActorIdentity>(new Identify("who"), TimeSpan.FromSeconds(5));
        Assert.Equal("who", identity.MessageId);
        Assert.Null(identity.Subject);
    }

    [Fact]
    public void MessagesToAStoppedActor_GoToDeadLetters()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        actor.Tell("too late");
        var deadLetter = ExpectMsg<DeadLetter>();
        Assert.Equal("too late", deadLetter.Message);
        Assert.Equal(actor, deadLetter.Recipient);
    }

    private sealed class CustomWatcher : ReceiveActor
    {
        public CustomWatcher(IActorRef subject, IActorRef reportTo)
        {
            Context.WatchWith(subject, "subject is gone");
            reportTo.Tell("watching");
            Receive<string>(reportTo.Tell);
        }
    }

    private sealed class IgnorantWatcher : ReceiveActor
    {
        public IgnorantWatcher(IActorRef subject, IActorRef reportTo)
        {
            Context.Watch(subject);
            reportTo.Tell("watching");
            Receive<string>(_ => { });
        }
    }
}
