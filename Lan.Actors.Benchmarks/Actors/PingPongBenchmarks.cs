using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Akka.Actor;

namespace Lan.Actors.Benchmarks.Actors;

/// <summary>Two parties bounce a message back and forth: actors against two tasks on raw channels.</summary>
[MemoryDiagnoser]
public class PingPongBenchmarks
{
    private const int RoundTrips = 100_000;
    private ActorSystem _system = null!;
    private IActorRef _ping = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("pingpong");
        var pong = _system.ActorOf(Props.Create<Pong>(), "pong");
        _ping = _system.ActorOf(Props.Create(() => new Ping(pong)), "ping");
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips * 2)]
    public async Task RawChannels()
    {
        var toPong = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var toPing = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var pong = Task.Run(async () =>
        {
            for (var i = 0; i < RoundTrips; i++)
            {
                toPing.Writer.TryWrite(await toPong.Reader.ReadAsync().ConfigureAwait(false));
            }
        });
        for (var i = 0; i < RoundTrips; i++)
        {
            toPong.Writer.TryWrite(i);
            await toPing.Reader.ReadAsync().ConfigureAwait(false);
        }
        await pong.ConfigureAwait(false);
    }

    [Benchmark(OperationsPerInvoke = RoundTrips * 2)]
    public Task Actors()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ping.Tell(new Start(RoundTrips, done), ActorRefs.NoSender);
        return done.Task;
    }

    private sealed record Start(int RoundTrips, TaskCompletionSource Done);

    private sealed class Ball
    {
        public static readonly Ball Instance = new();
    }

    private sealed class Ping : ReceiveActor
    {
        private int _left;
        private TaskCompletionSource? _done;

        public Ping(IActorRef pong)
        {
            Receive<Start>(start =>
            {
                _left = start.RoundTrips;
                _done = start.Done;
                pong.Tell(Ball.Instance, Self);
            });
            Receive<Ball>(ball =>
            {
                if (--_left == 0)
                {
                    _done!.SetResult();
                    return;
                }
                pong.Tell(ball, Self);
            });
        }
    }

    private sealed class Pong : ReceiveActor
    {
        public Pong() => Receive<Ball>(ball => Sender.Tell(ball, Self));
    }
}
