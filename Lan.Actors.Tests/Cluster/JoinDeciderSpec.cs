using Akka.Actor;
using Lan.Actors.Cluster;

namespace Lan.Actors.Tests.Cluster;

/// <summary>The join decider's rules, Cluster Bootstrap's, over what discovery reports.</summary>
public sealed class JoinDeciderSpec
{
    private static readonly LanClusterSettings Settings = new("lobby", "auto", 0, TimeSpan.FromSeconds(3), 2, true, []);
    private static readonly TimeSpan Stable = TimeSpan.FromSeconds(3);

    private static Address At(string host, int port) => new("akka.ssl.tcp", "lan-node", host, port);

    private static ContactPoint Point(string host, int port, bool member = false) => new($"{host}:{port}", host, At(host, port), member);

    [Fact]
    public void TheLowestAddress_FormsTheCluster_OnceTheContactPointsAreStable()
    {
        var decision = JoinDecider.Decide(At("10.0.0.1", 4000), [Point("10.0.0.2", 4000), Point("10.0.0.10", 4000)], Stable, Settings);

        Assert.IsType<FormNew>(decision);
        Assert.Contains("lowest address of 3", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AddressesAreOrderedAsAddresses_NotAsText()
    {
        // "10.0.0.10" sorts before "10.0.0.9" as text; Akka orders hosts and ports as Akka does everywhere (the leader too).
        var self = At("10.0.0.9", 4000);
        var expected = new[] { self, At("10.0.0.10", 4000) }.Min(Akka.Cluster.Member.AddressOrdering);
        var decision = JoinDecider.Decide(self, [Point("10.0.0.10", 4000)], Stable, Settings);

        Assert.Equal(expected!.Equals(self), decision is FormNew);
    }

    [Fact]
    public void AnyOtherNode_WaitsForTheLowest_AndSaysWhich()
    {
        var decision = JoinDecider.Decide(At("10.0.0.2", 4000), [Point("10.0.0.1", 4000)], Stable, Settings);

        var waiting = Assert.IsType<KeepWaiting>(decision);
        Assert.Contains("10.0.0.1:4000 has the lowest address", waiting.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AMemberInSight_IsJoined_EvenByTheLowestAddress()
    {
        var decision = JoinDecider.Decide(At("10.0.0.1", 4000), [Point("10.0.0.5", 4000, member: true), Point("10.0.0.3", 4000, member: true), Point("10.0.0.2", 4000)], TimeSpan.Zero, Settings);

        var join = Assert.IsType<JoinExisting>(decision);
        Assert.Equal([At("10.0.0.3", 4000), At("10.0.0.5", 4000)], join.Seeds);
    }

    [Fact]
    public void NothingIsFormed_BeforeTheContactPointsHaveBeenStableForTheMargin()
    {
        var decision = JoinDecider.Decide(At("10.0.0.1", 4000), [Point("10.0.0.2", 4000)], Stable - TimeSpan.FromMilliseconds(1), Settings);

        Assert.Contains("have not changed for 3 s", Assert.IsType<KeepWaiting>(decision).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TooFewContactPoints_FormNothing_HoweverLongTheyWait()
    {
        var decision = JoinDecider.Decide(At("10.0.0.1", 4000), [], TimeSpan.FromHours(1), Settings);

        Assert.Contains("1 contact point(s) of cluster lobby, 2 needed", Assert.IsType<KeepWaiting>(decision).Reason, StringComparison.Ordinal);
        Assert.IsType<FormNew>(JoinDecider.Decide(At("10.0.0.1", 4000), [], Stable, Settings with { RequiredContactPoints = 1 }));
    }

    [Fact]
    public void ANodeThatWasDowned_OnlyJoins_NeverForms()
    {
        var rejoinOnly = Settings with { NewClusterEnabled = false };

        Assert.IsType<KeepWaiting>(JoinDecider.Decide(At("10.0.0.1", 4000), [Point("10.0.0.2", 4000)], TimeSpan.FromHours(1), rejoinOnly));
        Assert.IsType<JoinExisting>(JoinDecider.Decide(At("10.0.0.1", 4000), [Point("10.0.0.2", 4000, member: true)], TimeSpan.Zero, rejoinOnly));
    }

    // Five members; this node (10.0.0.4) was one of the two on the minority side of a split, and was downed.
    private static readonly LanClusterSettings Downed = Settings with
    {
        NewClusterEnabled = false,
        FormerMembers = new HashSet<string>(Enumerable.Range(1, 5).Select(host => $"10.0.0.{host}:4000")),
    };

    [Fact]
    public void ADownedNode_SeeingOnlyTheMinorityItWasDownedWith_KeepsWaiting_ForTheMajorityToComeBackInSight()
    {
        var decision = JoinDecider.Decide(At("10.0.0.4", 4000), [Point("10.0.0.5", 4000), Point("10.0.0.9", 4000)], TimeSpan.FromHours(1), Downed);

        Assert.Contains("only 2 of the 5 members it last had", Assert.IsType<KeepWaiting>(decision).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ADownedNode_SeeingTheMajority_JoinsItsMembers_AsEveryNodeDoes()
    {
        var decision = JoinDecider.Decide(At("10.0.0.4", 4000), [Point("10.0.0.1", 4000, member: true), Point("10.0.0.5", 4000)], TimeSpan.Zero, Downed);

        Assert.Equal([At("10.0.0.1", 4000)], Assert.IsType<JoinExisting>(decision).Seeds);
    }

    [Fact]
    public void WhenTheWholeClusterWasLost_MostOfItsMembersInSightAndNoneAMember_TheLowestAddressFormsItAgain()
    {
        var others = new[] { Point("10.0.0.1", 4000), Point("10.0.0.2", 4000), Point("10.0.0.5", 4000) };

        var lowest = JoinDecider.Decide(At("10.0.0.1", 4000), [.. others.Skip(1), Point("10.0.0.4", 4000)], Stable, Downed);
        var another = JoinDecider.Decide(At("10.0.0.4", 4000), others, Stable, Downed);
        var tooSoon = JoinDecider.Decide(At("10.0.0.1", 4000), [.. others.Skip(1), Point("10.0.0.4", 4000)], Stable - TimeSpan.FromMilliseconds(1), Downed);

        Assert.Contains("4 of the 5 members it last had are in sight with none a member", Assert.IsType<FormNew>(lowest).Reason, StringComparison.Ordinal);
        Assert.Contains("10.0.0.1:4000 has the lowest address", Assert.IsType<KeepWaiting>(another).Reason, StringComparison.Ordinal);
        Assert.IsType<KeepWaiting>(tooSoon);
    }

    [Fact]
    public void ADownedNodeThatSaysItWaits_KeepsEveryoneFromForming_EvenWhenOthersSeeMostOfTheirOldCluster()
    {
        // A and B were downed when the cluster was {A..E}; the cluster went on as {C, D, E} and later downed C. A sees
        // A, B and C (3 of its 5), but C remembers {C, D, E} and sees only itself of them: D and E may still run it.
        var b = Point("10.0.0.2", 4000) with { MayFormAgain = true };
        var c = Point("10.0.0.3", 4000) with { MayFormAgain = false };

        var a = JoinDecider.Decide(At("10.0.0.1", 4000), [b, c], TimeSpan.FromHours(1), Downed);
        var fresh = JoinDecider.Decide(At("10.0.0.0", 4000), [b, c, Point("10.0.0.1", 4000) with { MayFormAgain = true }], TimeSpan.FromHours(1), Settings);

        Assert.Contains("10.0.0.3:4000 was downed and does not see most of the cluster it last knew", Assert.IsType<KeepWaiting>(a).Reason, StringComparison.Ordinal);
        Assert.IsType<KeepWaiting>(fresh);
        Assert.True(JoinDecider.MayFormAgain([b, c], Downed));
        Assert.False(JoinDecider.MayFormAgain([Point("10.0.0.1", 4000), Point("10.0.0.2", 4000)], Downed with { FormerMembers = new HashSet<string> { "10.0.0.3:4000", "10.0.0.4:4000", "10.0.0.5:4000" } }));
    }

    [Fact]
    public void NodesThatWereNeverMembers_DoNotMakeUpTheMajority_ThatLetsADownedNodeFormAgain()
    {
        // Three strangers (or one host announcing three names) beside the two downed ones.
        var decision = JoinDecider.Decide(
            At("10.0.0.4", 4000), [Point("10.0.0.5", 4000), Point("10.0.0.6", 4000), Point("10.0.0.7", 4000), Point("10.0.0.8", 4000)], TimeSpan.FromHours(1), Downed);

        Assert.IsType<KeepWaiting>(decision);
    }
}
