using Akka.Cluster;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Cluster;

/// <summary>Nodes form one Akka.Cluster from LAN discovery alone, with no seed nodes (several actor systems on loopback, TLS mode).</summary>
// Alone: several actor systems forming a cluster on two cores must not share them with the parallel specs.
[Collection(CountedAloneCollection.Name)]
public sealed class LanClusterFormationSpec : LanTestKit
{
    private readonly ITestOutputHelper _output;

    public LanClusterFormationSpec(ITestOutputHelper output)
        : base(null, output) => _output = output;

    private const string Tls = "lan.security.mode = tls";

    [Fact]
    public async Task ThreeNodesStartingTogether_FormOneCluster_ThatTheLowestAddressFormed()
    {
        await using var lan = new ClusterLan(Tls) { Output = _output };
        var nodes = await Task.WhenAll(lan.Start("a"), lan.Start("b"), lan.Start("c"));

        await AllUp(nodes, 3);
        var lowest = nodes.Select(node => node.Address).Min(Member.AddressOrdering);
        Assert.All(nodes, node => Assert.Equal(lowest, node.Oldest!.Address));
    }

    [Fact]
    public async Task ALateNode_JoinsTheClusterThatExists_EvenWithTheLowestAddress()
    {
        await using var lan = new ClusterLan(Tls) { Output = _output };
        var ports = Enumerable.Range(0, 3).Select(_ => LanTestConfiguration.FreeTcpPort()).Order().ToArray();
        var first = await Task.WhenAll(lan.Start("b", $"lan.cluster.port = {ports[1]}"), lan.Start("c", $"lan.cluster.port = {ports[2]}"));
        await AllUp(first, 2);
        var former = first[0].Oldest!.Address;

        var late = await lan.Start("a", $"lan.cluster.port = {ports[0]}");

        await AllUp([.. first, late], 3);
        Assert.Equal(former, late.Oldest!.Address);
    }

    [Fact]
    public async Task TwoGroupsStartingAtOnce_FormOneCluster_NotTwo()
    {
        await using var lan = new ClusterLan(Tls) { Output = _output };
        var groups = await Task.WhenAll(
            Task.WhenAll(lan.Start("a1"), lan.Start("a2")),
            Task.WhenAll(lan.Start("b1"), lan.Start("b2")));
        var nodes = groups.SelectMany(group => group).ToArray();

        await AllUp(nodes, 4);
        Assert.Single(nodes.Select(node => node.Oldest!.Address).Distinct());
    }

    [Fact]
    public async Task AClusterWhoseEveryNodeWasDowned_FormsAgain_FromNodesThatOnlyRejoin()
    {
        await using var lan = new ClusterLan(Tls) { Output = _output };
        var nodes = await Task.WhenAll(lan.Start("a"), lan.Start("b"), lan.Start("c"));
        await AllUp(nodes, 3);
        await AwaitAssertAsync(
            () => Assert.All(nodes, node => Assert.Equal(3, node.Cluster.RejoinOnly().Cluster.FormerMembers.Count)),
            Dilated(TimeSpan.FromSeconds(10)),
            TimeSpan.FromMilliseconds(100));

        // As a switch that failed would leave them: every node was downed, and each starts again only to rejoin.
        var again = await Task.WhenAll(nodes.Select(lan.StartAgain));

        Assert.All(again, node => Assert.False(node.Cluster.Cluster.NewClusterEnabled));
        await AllUp(again, 3);
        Assert.Single(again.Select(node => node.Oldest!.Address).Distinct());
    }

    private async Task AllUp(IReadOnlyList<ClusterMemberNode> nodes, int count) =>
        await AwaitAssertAsync(
            () => Assert.All(nodes, node => Assert.Equal(count, node.Up.Count)),
            Dilated(TimeSpan.FromSeconds(60)),
            TimeSpan.FromMilliseconds(100));
}
