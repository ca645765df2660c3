using System.Diagnostics;
using Akka.Cluster;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Lan.Actors.Tests.Cluster;

/// <summary>
/// A cluster node in TLS mode (remoting over mutual TLS) that starts, forms (alone: one contact point required) and stops, again and again, as
/// <c>server --cluster</c> does each time it is downed: descriptors and threads come back to where they were. (The LAN
/// connections' own leak specs are in Io.)
/// </summary>
[Collection(CountedAloneCollection.Name)]
public sealed class ClusterLeakSpec : LanTestKit
{
    private const int Cycles = 6;
    private readonly ITestOutputHelper _output;

    public ClusterLeakSpec(ITestOutputHelper output)
        : base(null, output) => _output = output;

    [Fact]
    public async Task ANodeStartedAndStoppedSixTimes_LeavesNoDescriptorsOrThreadsBehind()
    {
        await using var lan = new ClusterLan("lan.security.mode = tls\nlan.cluster.required-contact-points = 1");
        // Two cycles first: the first loads Akka.Remote, DotNetty, TLS and their static pools.
        await Cycle(lan, 0);
        await Cycle(lan, 1);
        var descriptors = LeakCounts.OpenFileDescriptors();
        var threads = Process.GetCurrentProcess().Threads.Count;

        for (var cycle = 2; cycle < Cycles + 2; cycle++)
        {
            await Cycle(lan, cycle);
        }

        // DotNetty stops its event-loop threads after a quiet period once remoting has shut down: waited for, bounded.
        var threadsAfter = 0;
        await AwaitAssertAsync(
            () => Assert.True((threadsAfter = Process.GetCurrentProcess().Threads.Count) <= threads + 4, $"threads {threads} -> {threadsAfter} after {Cycles} cycles"),
            Dilated(TimeSpan.FromSeconds(30)),
            TimeSpan.FromMilliseconds(200));
        var descriptorsAfter = LeakCounts.OpenFileDescriptors();
        _output.WriteLine($"descriptors {descriptors} -> {descriptorsAfter}, threads {threads} -> {threadsAfter} over {Cycles} cycles");
        // A leak per cycle would show as at least six.
        Assert.True(descriptorsAfter <= descriptors + 3, $"descriptors {descriptors} -> {descriptorsAfter} after {Cycles} cycles");
    }

    private async Task Cycle(ClusterLan lan, int cycle)
    {
        var node = await lan.Start($"leak-{cycle}");
        await AwaitAssertAsync(() => Assert.Single(node.Up), Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(50));
        await node.System.Terminate();
        Assert.True(AkkaCluster.Get(node.System).IsTerminated);
    }
}
