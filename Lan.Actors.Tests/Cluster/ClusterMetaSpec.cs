using System.Net;
using Akka.Actor;
using Lan.Actors.Cluster;
using Lan.Actors.Discovery;

namespace Lan.Actors.Tests.Cluster;

/// <summary>What a clustering node announces in its META, read back as a contact point by the other nodes.</summary>
public sealed class ClusterMetaSpec
{
    private static readonly Address Self = new("akka.ssl.tcp", "lan-node", "10.0.0.4", 4000);

    private static ContactPoint? ReadBack(IReadOnlyDictionary<string, string> meta) =>
        ClusterMeta.ContactPointOf(new ServerInfo("n4", "i4", "n4", "lan", 1, new IPEndPoint(IPAddress.Parse("10.0.0.4"), 5000), meta), "lobby", "lan-node");

    [Fact]
    public void ADownedNodesVerdict_IsAnnounced_AndReadBack_WhileItIsNoMember()
    {
        Assert.True(ReadBack(ClusterMeta.Of(new Dictionary<string, string>(), "lobby", Self, isMember: false, load: 0, mayFormAgain: true))!.MayFormAgain);
        var waits = ClusterMeta.Of(new Dictionary<string, string>(), "lobby", Self, isMember: false, load: 0, mayFormAgain: false);
        Assert.Equal("waits", waits["downed"]);
        Assert.False(ReadBack(waits)!.MayFormAgain);
    }

    [Fact]
    public void ANodeThatWasNeverDowned_OrIsAMemberAgain_AnnouncesNoVerdict()
    {
        var fresh = ClusterMeta.Of(new Dictionary<string, string>(), "lobby", Self, isMember: false, load: 0);
        var memberAgain = ClusterMeta.Of(new Dictionary<string, string>(), "lobby", Self, isMember: true, load: 0, mayFormAgain: false);

        Assert.False(fresh.ContainsKey("downed"));
        Assert.False(memberAgain.ContainsKey("downed"));
        Assert.Null(ReadBack(fresh)!.MayFormAgain);
        Assert.True(ReadBack(memberAgain)!.IsMember);
    }

    [Fact]
    public void AnyOtherVerdictText_IsReadAsWaiting()
    {
        var odd = new Dictionary<string, string>(ClusterMeta.Of(new Dictionary<string, string>(), "lobby", Self, isMember: false, load: 0)) { ["downed"] = "YES" };

        Assert.False(ReadBack(odd)!.MayFormAgain);
    }
}
