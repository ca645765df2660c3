using System.Net;
using Akka.Actor;
using Lan.Actors.Cluster;
using Lan.Actors.Discovery;
using Akka.Event;
using Lan.Actors.Security;

namespace Lan.Actors.Tests.Cluster;

/// <summary>
/// Which nodes may hold an Akka remoting connection, and that the table of them, bounded by max-servers, cannot be
/// filled for good by a host that once announced that many keys.
/// </summary>
public sealed class ClusterAdmissionSpec() : Akka.TestKit.Xunit2.TestKit(ClusterLan.AloneOnLoopback)
{
    private const string Lobby = "lobby";

    private static ClusterAdmission Admission(int capacity) =>
        new(new PeerVerifier(NodeIdentity.CreateEphemeral(), TrustStore.InMemory(), TrustPolicy.Tofu), Lobby, capacity);

    private static NodeId NewId() => NodeIdentity.CreateEphemeral().Id;

    [Fact]
    public void AFullTable_MakesRoomForANewNode_ByForgettingOneThatMayGo()
    {
        var admission = Admission(capacity: 2);
        var (first, second, third) = (NewId(), NewId(), NewId());
        Assert.True(admission.Admit("a", first));
        Assert.True(admission.Admit("b", second));

        Assert.True(admission.Admit("c", third, mayMakeRoom: id => id.Equals(first)));
        Assert.False(admission.IsAdmitted(first));
        Assert.True(admission.IsAdmitted(second));
        Assert.True(admission.IsAdmitted(third));
        Assert.Equal(1, admission.Evicted);
    }

    [Fact]
    public void AFullTable_KeepsEveryNodeThatMayNotGo_AndRefusesTheNewOne()
    {
        var admission = Admission(capacity: 2);
        var (first, second, third) = (NewId(), NewId(), NewId());
        admission.Admit("a", first);
        admission.Admit("b", second);

        Assert.False(admission.Admit("c", third, mayMakeRoom: _ => false));
        Assert.False(admission.Admit("c", third));
        Assert.True(admission.IsAdmitted(first) && admission.IsAdmitted(second));
        Assert.False(admission.IsAdmitted(third));
        Assert.Equal(0, admission.Evicted);
    }

    [Fact]
    public async Task KeysAnnouncedOnceToFillTheTable_DoNotKeepALaterNodeOut_OnceDiscoveryHasLostThem()
    {
        // A hostile host announces as many signed keys as the table holds, then goes quiet; a node still in sight keeps
        // its place. The genuine node that comes later is admitted in place of one the host left behind.
        var admission = Admission(capacity: 2);
        var settings = new LanClusterSettings(Lobby, "auto", 0, TimeSpan.FromSeconds(3), RequiredContactPoints: 100, NewClusterEnabled: true, []);
        var decider = Sys.ActorOf(JoinDeciderActor.Create(settings, admission, new ClusterMemory(), "this-node"));
        var (gone, staying, genuine) = (Announcer("forged-1", 4001), Announcer("forged-2", 4002), Announcer("genuine", 4003));
        // The decider subscribes in PreStart: once it answers an Identify, what is published next reaches it.
        await decider.Ask<ActorIdentity>(new Identify(null), RemainingOrDefault);

        Sys.EventStream.Publish(new ServerFound(gone));
        Sys.EventStream.Publish(new ServerFound(staying));
        await AwaitConditionAsync(() => Task.FromResult(admission.Holds(Id(gone)) && admission.Holds(Id(staying))));
        Sys.EventStream.Publish(new ServerLost(gone, ServerLostReason.Expired));
        Sys.EventStream.Publish(new ServerFound(genuine));

        await AwaitConditionAsync(() => Task.FromResult(admission.IsAdmitted(Id(genuine))));
        Assert.False(admission.IsAdmitted(Id(gone)));
        Assert.True(admission.IsAdmitted(Id(staying)));
    }

    [Fact]
    public void RefusedRemotingHandshakes_AreLogged_AtThe1st10thAnd100th_NotEachOne()
    {
        // Before (checked on 4b718aa): one WARNING per refusal, and any host can try the remoting port at will.
        var admission = Admission(capacity: 2);
        var warnings = CreateTestProbe();
        Sys.EventStream.Subscribe(warnings.Ref, typeof(Warning));
        var log = Akka.Event.Logging.GetLogger(Sys, "admission-spec");

        for (var i = 0; i < 100; i++)
        {
            Assert.False(admission.Validate(null, null, "127.0.0.9:4000", System.Net.Security.SslPolicyErrors.None, log));
        }

        log.Warning("end of the refusals");
        var logged = new List<string>();
        warnings.FishForMessage<Warning>(warning =>
        {
            logged.Add(warning.Message.ToString()!);
            return warning.Message.ToString() == "end of the refusals";
        });
        Assert.Equal(100, admission.Refused);
        Assert.Equal(["(1 refused so far)", "(10 refused so far)", "(100 refused so far)"], logged.SkipLast(1).Select(line => line[line.LastIndexOf('(')..]));
    }

    [Fact]
    public void UnderTofu_ACertificateOnAConnectionThisNodeOpened_IsAccepted_ButOneOnAConnectionItAccepted_IsNot()
    {
        // Gossip named a member before discovery reported it, and Akka.Remote shuts the whole system down when its own
        // outbound handshake is refused: three formation specs ended so before this (one node terminated, exit code 79).
        var stranger = NodeIdentity.CreateEphemeral();
        var tofu = Admission(capacity: 2);
        var pinned = new ClusterAdmission(new PeerVerifier(NodeIdentity.CreateEphemeral(), TrustStore.InMemory(), TrustPolicy.Pinned), Lobby, 2);
        const System.Net.Security.SslPolicyErrors untrusted = System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors;

        Assert.True(tofu.Validate(stranger.Certificate, null, "ssl.tcp://lan-node@10.0.0.5:40123", untrusted, null));
        Assert.False(tofu.Validate(stranger.Certificate, null, "[::ffff:10.0.0.6]:51234", untrusted, null));
        Assert.False(pinned.Validate(stranger.Certificate, null, "ssl.tcp://lan-node@10.0.0.5:40123", untrusted, null));
        Assert.Equal((1L, 1L), (tofu.AcceptedOutbound, tofu.Refused));
    }

    private ServerInfo Announcer(string name, int akkaPort)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [MetaKeys.Group] = Lobby,
            [ClusterMeta.Akka] = new Address("akka.ssl.tcp", Sys.Name, "127.0.0.1", akkaPort).ToString(),
        };
        return new ServerInfo(NewId().ToString(), "instance-" + name, name, "lan", 1, new IPEndPoint(IPAddress.Loopback, 5000), meta);
    }

    private static NodeId Id(ServerInfo server) => NodeId.TryParse(server.Id, out var id, out _) ? id : throw new InvalidOperationException(server.Id);
}
