using System.Globalization;
using Akka.Actor;

namespace Lan.Actors.Benchmarks.Actors;

/// <summary>
/// Retained heap per idle actor: start 100,000 actors, let every one run its constructor, collect, and
/// divide the heap growth by the count. Not a BenchmarkDotNet suite because it measures what stays, not
/// what a call allocates; run with <c>-- --idle-memory</c>.
/// </summary>
internal static class IdleActorMemory
{
    public static void Run(int count = 100_000)
    {
        using var system = ActorSystem.Create("idle");
        var before = Collect();
        var actors = new IActorRef[count];
        for (var i = 0; i < count; i++)
        {
            actors[i] = system.ActorOf(Props.Create<SpawnBenchmarks.Idle>());
        }
        // An Ask to each would allocate; one round through the last actor shows the pool has drained the creates.
        foreach (var actor in actors)
        {
            actor.Tell("started?", ActorRefs.NoSender);
        }
        SpinUntilQuiet(system);
        var after = Collect();
        GC.KeepAlive(actors);
        var perActor = (after - before - (long)count * IntPtr.Size) / (double)count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"idle actors: {count:N0}; retained bytes per actor: {perActor:F0} (Akka.NET publishes ~1.3 KB, Erlang ~2.6 KB)"));
    }

    /// <summary>The managed heap after full collections: what is retained, not what was allocated.</summary>
    internal static long Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static void SpinUntilQuiet(ActorSystem system)
    {
        var probe = system.ActorOf(Props.Create<SpawnBenchmarks.Idle>());
        for (var round = 0; round < 50 && ThreadPool.PendingWorkItemCount > 0; round++)
        {
            Thread.Sleep(100);
        }
        system.Stop(probe);
    }
}
