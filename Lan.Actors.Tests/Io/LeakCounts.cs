using System.Runtime;
using Akka.Actor;

namespace Lan.Actors.Tests.Io;

/// <summary>What the leak specs count, and the no-GC region their last cycles run in.</summary>
internal static class LeakCounts
{
    public static int OpenFileDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    /// <summary>
    /// Runs <paramref name="work"/> where no collection can happen, so a socket nobody disposed cannot be closed by its
    /// finalizer and look clean. The region is process-wide: it holds only for specs that run alone (CountedAloneCollection).
    /// </summary>
    public static async Task WithoutCollectionsAsync(long budget, Func<Task> work)
    {
        Assert.True(GC.TryStartNoGCRegion(budget), "could not start a no-GC region");
        try
        {
            await work();
            Assert.True(GCSettings.LatencyMode == GCLatencyMode.NoGCRegion, "the no-GC region ended early: raise its budget, or the count proves less");
        }
        finally
        {
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }
    }

    /// <summary>How many of <c>conn-1</c> to <c>conn-<paramref name="upTo"/></c> still live under <paramref name="node"/>'s listener.</summary>
    public static async Task<int> ConnectionActorsUnderAsync(ActorSystem system, IActorRef node, int upTo)
    {
        var listener = await system.ActorSelection(node.Path / "listener").ResolveOne(TimeSpan.FromSeconds(3));
        var count = 0;
        foreach (var name in Enumerable.Range(1, upTo).Select(n => $"conn-{n}"))
        {
            var identity = await system.ActorSelection(listener.Path / name).Ask<ActorIdentity>(new Identify(name), TimeSpan.FromSeconds(3));
            count += identity.Subject is null ? 0 : 1;
        }

        return count;
    }
}
