using BenchmarkDotNet.Attributes;
using Akka.Actor;

namespace Lan.Actors.Benchmarks.Actors;

/// <summary>Creating an actor, letting it start, and stopping it, with death watch telling when it is gone.</summary>
[MemoryDiagnoser]
public class SpawnBenchmarks
{
    private const int Actors = 10_000;
    private ActorSystem _system = null!;
    private IActorRef _spawner = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("spawn");
        _spawner = _system.ActorOf(Props.Create<Spawner>(), "spawner");
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark(OperationsPerInvoke = Actors)]
    public Task SpawnAndStop()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _spawner.Tell(new Run(Actors, done), ActorRefs.NoSender);
        return done.Task;
    }

    private sealed record Run(int Count, TaskCompletionSource Done);

    internal sealed class Idle : ReceiveActor
    {
        public Idle() => Receive<string>(_ => { });
    }

    private sealed class Spawner : ReceiveActor
    {
        private static readonly Props IdleProps = Props.Create<Idle>();
        private int _alive;
        private TaskCompletionSource? _done;

        public Spawner()
        {
            Receive<Run>(run =>
            {
                _done = run.Done;
                _alive = run.Count;
                for (var i = 0; i < run.Count; i++)
                {
                    var child = Context.ActorOf(IdleProps);
                    Context.Watch(child);
                    Context.Stop(child);
                }
            });
            Receive<Terminated>(_ =>
            {
                if (--_alive == 0)
                {
                    _done!.SetResult();
                }
            });
        }
    }
}
