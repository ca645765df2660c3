using Lan.Actors.Kernel;

namespace Lan.Actors.Tests.Kernel;

public sealed class OrderingSpec : TestKit.TestKit
{
    private const int Senders = 8;
    private const int MessagesPerSender = 100_000;

    [Fact]
    public void MessagesFromOneSender_ArriveInOrder()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        for (var i = 0; i < 1000; i++)
        {
            echo.Tell(i);
        }
        for (var i = 0; i < 1000; i++)
        {
            ExpectMsg(i);
        }
    }

    [Fact]
    public async Task Stress_EightSenders_OneActor_CountIsExact_AndEachSequenceInOrder()
    {
        var counter = Sys.ActorOf(Props.Create(() => new UnsafeCounter(Senders)));
        var senders = Enumerable.Range(0, Senders).Select(sender => Task.Run(() =>
        {
            for (var sequence = 0; sequence < MessagesPerSender; sequence++)
            {
                counter.Tell(new Numbered(sender, sequence), ActorRefs.NoSender);
            }
        })).ToArray();
        await Task.WhenAll(senders);
        var result = await counter.Ask<CountResult>(new GetCount(), TimeSpan.FromSeconds(60));
        Assert.Equal(Senders * MessagesPerSender, result.Count);
        Assert.Equal(0, result.OutOfOrder);
    }

    [Fact]
    public void SystemMessages_OvertakeUserMessages()
    {
        var gate = new TaskCompletionSource();
        var actor = Sys.ActorOf(Props.Create(() => new Blocking(gate.Task, TestActor)));
        actor.Tell("block");
        ExpectMsg("blocked");
        for (var i = 0; i < 100; i++)
        {
            actor.Tell(i);
        }
        Watch(actor);
        Sys.Stop(actor); // queued behind 100 user messages, yet handled before them
        gate.SetResult();
        ExpectTerminated(actor);
    }

    [Fact]
    public void SpawnWatchStopChurn_LosesNoTerminated()
    {
        // A lost wakeup between a mailbox going idle and a new message shows up here as a missing Terminated.
        var spawner = Sys.ActorOf(Props.Create(() => new Spawner()));
        for (var round = 0; round < 20; round++)
        {
            spawner.Tell(2_000);
            ExpectMsg("all terminated", TimeSpan.FromSeconds(20));
        }
    }

    private sealed class Spawner : ReceiveActor
    {
        private int _alive;
        private IActorRef? _reportTo;

        public Spawner()
        {
            Receive<int>(count =>
            {
                _reportTo = Sender;
                _alive = count;
                for (var i = 0; i < count; i++)
                {
                    var child = Context.ActorOf(Props.Create<EchoActor>());
                    Context.Watch(child);
                    child.Tell("warm up");
                    Context.Stop(child);
                }
            });
            Receive<string>(_ => { });
            Receive<Terminated>(_ =>
            {
                if (--_alive == 0)
                {
                    _reportTo!.Tell("all terminated");
                }
            });
        }
    }

    private sealed record Numbered(int Sender, int Sequence);

    private sealed record GetCount;

    private sealed record CountResult(int Count, int OutOfOrder);

    /// <summary>Counts with plain fields: correct only if the runtime runs one message at a time with visibility between them.</summary>
    private sealed class UnsafeCounter : ReceiveActor
    {
        private readonly int[] _next;
        private int _count;
        private int _outOfOrder;

        public UnsafeCounter(int senders)
        {
            _next = new int[senders];
            Receive<Numbered>(message =>
            {
                _count++;
                if (_next[message.Sender] != message.Sequence)
                {
                    _outOfOrder++;
                }
                _next[message.Sender] = message.Sequence + 1;
            });
            Receive<GetCount>(_ => Sender.Tell(new CountResult(_count, _outOfOrder)));
        }
    }

    private sealed class Blocking : ReceiveActor
    {
        public Blocking(Task gate, IActorRef reportTo)
        {
            Receive<string>(_ =>
            {
                reportTo.Tell("blocked");
                gate.Wait();
            });
            Receive<int>(i => reportTo.Tell(i));
        }
    }
}
