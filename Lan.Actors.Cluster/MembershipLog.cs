using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Lan.Actors.Protocol;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Lan.Actors.Cluster;

/// <summary>
/// One line per membership event (member up, unreachable, reachable again, downed, removed) with the member's address and
/// the count of members up, logged at INFO and, for the CLI, handed to <c>write</c>.
/// </summary>
internal sealed class MembershipLog : ReceiveActor
{
    private readonly AkkaCluster _cluster = AkkaCluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Address, MemberStatus> _status = [];

    public MembershipLog(Action<string>? write)
    {
        void Say(string line)
        {
            _log.Info(line);
            write?.Invoke(line);
        }

        Receive<ClusterEvent.MemberUp>(up => Say(Line("member up", up.Member, up.Member.Status)));
        Receive<ClusterEvent.MemberWeaklyUp>(up => Say(Line("member weakly up", up.Member, up.Member.Status)));
        Receive<ClusterEvent.MemberDowned>(down => Say(Line("member downed", down.Member, MemberStatus.Down)));
        Receive<ClusterEvent.MemberRemoved>(removed => Say(Line("member removed", removed.Member, MemberStatus.Removed)));
        Receive<ClusterEvent.IMemberEvent>(changed => _status[changed.Member.Address] = changed.Member.Status);
        Receive<ClusterEvent.UnreachableMember>(unreachable => Say(Line("member unreachable", unreachable.Member, null)));
        Receive<ClusterEvent.ReachableMember>(reachable => Say(Line("member reachable again", reachable.Member, null)));
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
    }

    public static Props Create(Action<string>? write) => Props.Create(() => new MembershipLog(write));

    protected override void PreStart() =>
        _cluster.Subscribe(
            Self,
            ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent),
            typeof(ClusterEvent.UnreachableMember),
            typeof(ClusterEvent.ReachableMember));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private string Line(string what, Member member, MemberStatus? status)
    {
        if (status is { } now)
        {
            if (now == MemberStatus.Removed)
            {
                _status.Remove(member.Address);
            }
            else
            {
                _status[member.Address] = now;
            }
        }

        // Up only: a weakly-up member is one the cluster has not yet converged on.
        var up = _status.Values.Count(s => s is MemberStatus.Up);
        // A member's address is what its own Join said: shown as text, never as terminal control.
        return $"{what}: {PeerText.ForDisplay(member.Address.ToString())} ({up} up)";
    }
}
