using System.Diagnostics;
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

    // The thread pool grows and shrinks with load by design; a leak would be threads of our own.
    private static int ThreadsOutsideThePool()
    {
        using var process = Process.GetCurrentProcess();
        return process.Threads.Count - ThreadPool.ThreadCount;
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
        var fdsBefore = LeakCounts.OpenFileDescriptors();
        var threadsBefore = ThreadsOutsideThePool();
        for (var i = 1; i <= Cycles - UncollectedCycles; i++)
        {
            await CycleAsync(server, i);
        }

        // The last cycles and the count run where no collection can happen, so a socket nobody disposed shows as open.
        await LeakCounts.WithoutCollectionsAsync(NoGcBudget, async () =>
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
                var fdsAfter = LeakCounts.OpenFileDescriptors();
                _output.WriteLine($"file descriptors: {fdsBefore} before, {fdsAfter} after {Cycles} cycles (the last {UncollectedCycles} without a collection)");
                Assert.InRange(fdsAfter, 0, fdsBefore + 4);
            }, TimeSpan.FromSeconds(10));
        });

        var threadsAfter = ThreadsOutsideThePool();
        _output.WriteLine($"threads outside the thread pool: {threadsBefore} before, {threadsAfter} after; pool threads now {ThreadPool.ThreadCount}");
        Assert.InRange(threadsAfter, 0, threadsBefore + 2);
        Assert.Equal(0, await LeakCounts.ConnectionActorsUnderAsync(Sys, server.Node, Cycles + 10));
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
