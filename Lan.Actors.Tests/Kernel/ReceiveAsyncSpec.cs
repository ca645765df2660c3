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
