using Lan.Actors.Kernel;

namespace Lan.Actors.Tests.Kernel;

public sealed class ReceiveAsyncSpec : TestKit.TestKit
{
    [Fact]
    public void NoOtherMessageRuns_UntilTheTaskCompletes()
    {
        var gate = new TaskCompletionSource();
        var actor = Sys.ActorOf(Props.Create(() => new AsyncActor(gate.Task)));
        actor.Tell("slow");
        actor.Tell("fast");
        ExpectMsg("slow:started");
        ExpectNoMsg();
        gate.SetResult();
        ExpectMsg("slow:done");
        ExpectMsg("fast");
    }

    [Fact]
    public void SenderAndContext_StayValid_AfterAwait()
    {
        var gate = new TaskCompletionSource();
        var actor = Sys.ActorOf(Props.Create(() => new AsyncActor(gate.Task)), "async");
        actor.Tell("slow");
        ExpectMsg("slow:started");
        gate.SetResult();
        ExpectMsg("slow:done");
        Assert.Equal(actor, LastSender);
    }

    [Fact]
    public void AFaultedTask_FailsTheActor_AndTheSupervisorRestartsIt()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(string));
        var actor = Sys.ActorOf(Props.Create(() => new AsyncActor(Task.CompletedTask)));
        actor.Tell("throw");
        actor.Tell("fast");
        ExpectMsg("restarted");
        ExpectMsg("fast");
    }

    [Fact]
    public void ContinuationsOfARestartedInstance_DoNotTouchTheNewOne()
    {
        var gate = new TaskCompletionSource();
        var parent = Sys.ActorOf(Props.Create(() => new SupervisorActor(new AllForOneStrategy(_ => Directive.Restart))));
        parent.Tell(new CreateChild(Props.Create(() => new Awaiter(gate.Task, TestActor)), "awaiter"));
        var awaiter = ExpectMsg<IActorRef>();
        parent.Tell(new CreateChild(Props.Create(() => new LifecycleActor(ActorRefs.Nobody)), "sibling"));
        var sibling = ExpectMsg<IActorRef>();
        awaiter.Tell("await");
        ExpectMsg("awaiting");
        sibling.Tell(new Fail(new InvalidOperationException("restart everyone")));
        ExpectMsg("restarted");
        gate.SetResult(); // the old instance's continuation would Become "old"
        awaiter.Tell("ping");
        ExpectMsg("new:ping");
    }

    private sealed class Awaiter : ReceiveActor
    {
        private readonly IActorRef _reportTo;

        public Awaiter(Task gate, IActorRef reportTo)
        {
            _reportTo = reportTo;
            ReceiveAsync<string>(m => m == "await", async _ =>
            {
                reportTo.Tell("awaiting");
                await gate;
                Become(message => { reportTo.Tell($"old:{message}"); return true; });
            });
            Receive<string>(m => reportTo.Tell($"new:{m}"));
        }

        protected override void PostRestart(Exception reason) => _reportTo.Tell("restarted");
    }

    private sealed class AsyncActor : ReceiveActor
    {
        public AsyncActor(Task gate)
        {
            ReceiveAsync<string>(m => m == "slow", async _ =>
            {
                Sender.Tell("slow:started");
                await gate;
                await Task.Yield();
                // Sender and Self resolve on the actor after the await.
                Sender.Tell("slow:done", Self);
            });
            ReceiveAsync<string>(m => m == "throw", async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("async failure");
            });
            Receive<string>(m => Sender.Tell(m));
        }

        protected override void PostRestart(Exception reason) => Context.System.EventStream.Publish("restarted");
    }
}
