using System.Diagnostics;
using System.Runtime;
using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>Counts what a thousand connections leave behind: file descriptors, threads, actors.</summary>
[Collection(CountedAloneCollection.Name)]
public sealed class ConnectionLeakSpec : LanTestKit
{
    private readonly ITestOutputHelper _output;

    public ConnectionLeakSpec(ITestOutputHelper output)
        : base("lan.tcp { port = 0, close-timeout = 500ms }", output) => _output = output;

    private const int Cycles = 1000;
    private const int UncollectedCycles = 100;
    private const long NoGcBudget = 240L * 1024 * 1024;

    private static int OpenFileDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    // The thread pool grows and shrinks with load by design; a leak would be threads of our own.
    private static int ThreadsOutsideThePool()
    {
        using var process = Process.GetCurrentProcess();
        return process.Threads.Count - ThreadPool.ThreadCount;
    }

    private async Task<int> ConnectionActorsUnder(IActorRef node)
    {
        var listener = await Sys.ActorSelection(node.Path / "listener").ResolveOne(TimeSpan.FromSeconds(3));
        var count = 0;
        foreach (var name in Enumerable.Range(1, Cycles + 10).Select(n => $"conn-{n}"))
        {
            var identity = await Sys.ActorSelection(listener.Path / name).Ask<ActorIdentity>(new Identify(name), TimeSpan.FromSeconds(3));
            count += identity.Subject is null ? 0 : 1;
        }

        return count;
    }

    [Fact]
    public async Task AThousandConnectExchangeCloseCycles_LeaveFdsThreadsAndActorsAtBaseline()
    {
        if (!OperatingSystem.IsLinux())
        {
            _output.WriteLine("skipped: counts file descriptors through /proc/self/fd");
            return;
        }

        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), Props.Create<EchoHandler>());
        // One warm-up cycle lets the pools (sockets' epoll threads, the thread pool) reach their working size.
        await CycleAsync(server, 0);
        var fdsBefore = OpenFileDescriptors();
        var threadsBefore = ThreadsOutsideThePool();
        for (var i = 1; i <= Cycles - UncollectedCycles; i++)
        {
            await CycleAsync(server, i);
        }

        // A socket nobody disposed is closed by its finalizer at the next collection and would look clean; the
        // last cycles and the count run where no collection can happen, so such a leak shows as open descriptors.
        // The region is process-wide: it holds only because this class runs alone (CountedAloneCollection).
        Assert.True(GC.TryStartNoGCRegion(NoGcBudget), "could not start a no-GC region");
        try
        {
            for (var i = Cycles - UncollectedCycles + 1; i <= Cycles; i++)
            {
                await CycleAsync(server, i);
            }

            await AwaitAssertAsync(async () =>
            {
                server.Node.Tell(GetPeers.Instance);
                Assert.Empty((await ExpectMsgAsync<Peers>()).Connected);
            });
            await AwaitAssertAsync(() =>
            {
                var fdsAfter = OpenFileDescriptors();
                _output.WriteLine($"file descriptors: {fdsBefore} before, {fdsAfter} after {Cycles} cycles (the last {UncollectedCycles} without a collection)");
                Assert.InRange(fdsAfter, 0, fdsBefore + 4);
            }, TimeSpan.FromSeconds(10));
            Assert.True(GCSettings.LatencyMode == GCLatencyMode.NoGCRegion, "the no-GC region ended early: raise NoGcBudget, or the count proves less");
        }
        finally
        {
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }

        var threadsAfter = ThreadsOutsideThePool();
        _output.WriteLine($"threads outside the thread pool: {threadsBefore} before, {threadsAfter} after; pool threads now {ThreadPool.ThreadCount}");
        Assert.InRange(threadsAfter, 0, threadsBefore + 2);
        Assert.Equal(0, await ConnectionActorsUnder(server.Node));
    }

    private static async Task CycleAsync(LanServer server, int i)
    {
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var text = $"cycle {i}";
        await peer.SendAsync(RawPeer.Message(text));
        Assert.Equal(text, (await peer.ReadAsync())!.GetString("TEXT"));
        // Every fourth leaves rudely, the rest say goodbye: both paths must clean up.
        if (i % 4 == 0)
        {
            peer.Reset();
            return;
        }

        await peer.SendAsync(Packet.From(new Disconnect("done")));
        Assert.Null(await peer.ReadAsync());
    }
}

/// <summary>Specs that count process-wide resources run alone, after the parallel ones, so no other spec's sockets are counted.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CountedAloneCollection
{
    public const string Name = "counted alone";
}
