using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Akka.Actor;

namespace Lan.Actors.Benchmarks.Actors;

/// <summary>Four senders flood one receiver: an actor against one reader task on a raw channel.</summary>
[MemoryDiagnoser]
public class ManyToOneBenchmarks
{
    private const int Senders = 4;
    private const int PerSender = 250_000;
    private const int Total = Senders * PerSender;
    private ActorSystem _system = null!;
    private IActorRef _counter = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("manytoone");
        _counter = _system.ActorOf(Props.Create<Counter>(), "counter");
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark(Baseline = true, OperationsPerInvoke = Total)]
    public async Task RawChannel()
    {
        var channel = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        var reader = Task.Run(async () =>
        {
            var count = 0;
            while (count < Total)
            {
                await channel.Reader.WaitToReadAsync().ConfigureAwait(false);
                while (channel.Reader.TryRead(out _))
                {
                    count++;
                }
            }
        });
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < PerSender; i++)
            {
                channel.Writer.TryWrite(Message.Instance);
            }
        }))).ConfigureAwait(false);
        await reader.ConfigureAwait(false);
    }

    [Benchmark(OperationsPerInvoke = Total)]
    public async Task Actor()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _counter.Tell(new Expect(Total, done), ActorRefs.NoSender);
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < PerSender; i++)
            {
                _counter.Tell(Message.Instance, ActorRefs.NoSender);
            }
        }))).ConfigureAwait(false);
        await done.Task.ConfigureAwait(false);
    }

    private sealed class Message
    {
        public static readonly Message Instance = new();
    }

    private sealed record Expect(int Count, TaskCompletionSource Done);

    private sealed class Counter : ReceiveActor
    {
        private int _left;
        private TaskCompletionSource? _done;

        public Counter()
        {
            Receive<Expect>(expect =>
            {
                _left = expect.Count;
                _done = expect.Done;
            });
            Receive<Message>(_ =>
            {
                if (--_left == 0)
                {
                    _done!.SetResult();
                }
            });
        }
    }
}
