using Akka.Actor;
using Akka.Cluster;
using Lan.Actors.Discovery;
using Lan.Actors.Io;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Lan.Actors.Cluster;

/// <summary>
/// Keeps the node's announcement true (<see cref="ClusterMeta"/>): its remoting address, whether it is an Up member,
/// and its load, the connections it holds, asked of the node every <see cref="LoadInterval"/>; for a node that was downed,
/// whether it would let the cluster form again, as its join decider publishes it (<see cref="FormingAgainVerdict"/>).
/// </summary>
internal sealed class ClusterAnnouncer : ReceiveActor, IWithTimers
{
    private readonly IActorRef _node;
    private readonly string _clusterName;
    private readonly IReadOnlyDictionary<string, string> _ownMeta;
    private readonly AkkaCluster _cluster = AkkaCluster.Get(Context.System);
    private bool _isMember;
    private int _load;
    // Null for a node that may form a cluster anyway; a downed one says it waits until its decider finds otherwise.
    private bool? _mayFormAgain;
    private IReadOnlyDictionary<string, string>? _announced;

    /// <summary>How often the load is asked for.</summary>
    public static readonly TimeSpan LoadInterval = TimeSpan.FromSeconds(1);

    public ClusterAnnouncer(IActorRef node, string clusterName, IReadOnlyDictionary<string, string> ownMeta, bool rejoinOnly)
    {
        _node = node;
        _clusterName = clusterName;
        _ownMeta = ownMeta;
        _mayFormAgain = rejoinOnly ? false : null;
        Receive<FormingAgainVerdict>(verdict =>
        {
            _mayFormAgain = verdict.MayForm;
            Announce();
        });
        Receive<ClusterEvent.IMemberEvent>(changed =>
        {
            if (changed.Member.Address.Equals(_cluster.SelfAddress))
            {
                _isMember = changed.Member.Status is MemberStatus.Up or MemberStatus.WeaklyUp;
                Announce();
            }
        });
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<AskLoad>(_ => _node.Ask<Peers>(GetPeers.Instance, LoadInterval).PipeTo(Self, failure: _ => NoAnswer.Instance));
        Receive<Peers>(peers =>
        {
            _load = peers.Connected.Count;
            Announce();
        });
        Receive<NoAnswer>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Create(IActorRef node, string clusterName, IReadOnlyDictionary<string, string> ownMeta, bool rejoinOnly) =>
        Props.Create(() => new ClusterAnnouncer(node, clusterName, ownMeta, rejoinOnly));

    protected override void PreStart()
    {
        Announce();
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        if (_mayFormAgain is not null)
        {
            Context.System.EventStream.Subscribe(Self, typeof(FormingAgainVerdict));
        }

        Timers.StartPeriodicTimer("load", AskLoad.Instance, LoadInterval);
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        Context.System.EventStream.Unsubscribe(Self);
    }

    // SetMeta is announced at once: a node that becomes a member is seen as one within a datagram's time.
    private void Announce()
    {
        var meta = ClusterMeta.Of(_ownMeta, _clusterName, _cluster.SelfAddress, _isMember, _load, _mayFormAgain);
        if (_announced is null || !meta.OrderBy(pair => pair.Key, StringComparer.Ordinal).SequenceEqual(_announced.OrderBy(pair => pair.Key, StringComparer.Ordinal)))
        {
            _announced = meta;
            _node.Tell(new SetMeta(meta));
        }
    }

    private sealed record AskLoad
    {
        public static AskLoad Instance { get; } = new();
    }

    private sealed record NoAnswer
    {
        public static NoAnswer Instance { get; } = new();
    }
}

/// <summary>Published by the join decider of a node that was downed: whether it would let the cluster form again.</summary>
internal sealed record FormingAgainVerdict(bool MayForm);
