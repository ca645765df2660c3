using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Lan.Actors.Discovery;
using Lan.Actors.Io;
using Lan.Actors.Security;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Lan.Actors.Cluster;

/// <summary>
/// Forms or joins the cluster from what discovery reports (<see cref="JoinDecider"/>'s rules), and logs each decision
/// with its reason. Stops deciding once this node is a member, but goes on admitting the nodes discovery reports (TLS mode)
/// and remembering the node IDs of the members (<see cref="ClusterMemory"/>) for the day it is downed.
/// </summary>
internal sealed class JoinDeciderActor : ReceiveActor, IWithTimers
{
    private readonly LanClusterSettings _settings;
    private readonly ClusterAdmission? _admission;
    private readonly ClusterMemory _memory;
    private readonly string _selfId;
    private readonly AkkaCluster _cluster = AkkaCluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LanClock _clock = LanClock.For(Context.System);
    private readonly Dictionary<string, ContactPoint> _points = new(StringComparer.Ordinal);
    // Each admitted node as last heard, in sight or not: whether one out of sight is still a member is asked by its address.
    private readonly Dictionary<NodeId, ContactPoint> _admitted = [];
    // The cluster's members and their status as the member events told them, by incarnation: a node started again on
    // the same address is a new member, and the removal of its old self (published after) must not remove it.
    private readonly Dictionary<UniqueAddress, MemberStatus> _members = [];
    private long _changedAt;
    private string? _lastReason;
    private bool _joining;
    private bool _member;

    // How long a join may take before the decision is made again (Akka's own seed-node-timeout is 5 s per attempt).
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(20);

    // Often enough that the stable margin is kept to within a fraction of a second.
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(250);

    public JoinDeciderActor(LanClusterSettings settings, ClusterAdmission? admission, ClusterMemory memory, string selfId)
    {
        _settings = settings;
        _admission = admission;
        _memory = memory;
        _selfId = selfId;
        _changedAt = _clock.Now;
        Receive<ServerFound>(found => Heard(found.Server));
        Receive<ServerUpdated>(updated => Heard(updated.Server));
        Receive<ServerLost>(lost =>
        {
            if (_points.Remove(lost.Server.Id))
            {
                _changedAt = _clock.Now;
            }

            // Its admission stays: a member whose announcements a busy host missed for expire-after must still be
            // able to reconnect. Only when the table is full does a node out of sight and out of the cluster make room.
        });
        Receive<JoinTimedOut>(_ =>
        {
            if (!_member)
            {
                // The seeds may have gone, or not have admitted this node yet: decide again from what is in sight now.
                _log.Info("not a member of cluster {0} {1} s after deciding to join; deciding again", _settings.Name, JoinTimeout.TotalSeconds);
                _joining = false;
                _lastReason = null;
            }
        });
        Receive<Tick>(_ => Decide());
        Receive<ClusterEvent.IMemberEvent>(changed =>
        {
            // Kept from the events themselves: the cluster's read view (Cluster.State) may not have caught up yet.
            if (changed is ClusterEvent.MemberRemoved)
            {
                _members.Remove(changed.Member.UniqueAddress);
            }
            else
            {
                _members[changed.Member.UniqueAddress] = changed.Member.Status;
            }

            RememberMembers();
        });
        Receive<BecameMember>(_ =>
        {
            _member = true;
            _log.Info("this node is a member of cluster {0} as {1}", _settings.Name, _cluster.SelfAddress);
            _joining = true;
            // Discovery is still followed: a node that comes later is admitted to remoting only once it is heard of.
            Timers.CancelAll();
            RememberMembers();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Create(LanClusterSettings settings, ClusterAdmission? admission, ClusterMemory memory, string selfId) =>
        Props.Create(() => new JoinDeciderActor(settings, admission, memory, selfId));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(ServerFound));
        Context.System.EventStream.Subscribe(Self, typeof(ServerUpdated));
        Context.System.EventStream.Subscribe(Self, typeof(ServerLost));
        var self = Self;
        _cluster.RegisterOnMemberUp(() => self.Tell(BecameMember.Instance));
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        Timers.StartPeriodicTimer("tick", Tick.Instance, TickInterval);
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _cluster.Unsubscribe(Self);
    }

    private void Heard(ServerInfo server)
    {
        var point = ClusterMeta.ContactPointOf(server, _settings.Name, Context.System.Name);
        if (point is null)
        {
            // A node that no longer qualifies (another cluster name, no address) must not hold the lowest address.
            if (_points.Remove(server.Id))
            {
                _changedAt = _clock.Now;
            }

            return;
        }

        // TLS mode: only a node the trust policy allows under its name counts, and it is admitted to Akka remoting.
        if (_admission is not null)
        {
            if (!(NodeId.TryParse(point.NodeId, out var id, out _) && _admission.Admit(point.Name, id, MayMakeRoom)))
            {
                return;
            }

            _admitted[id] = point;
            if (_admitted.Count > _admission.Capacity)
            {
                // One made room for this one.
                foreach (var gone in _admitted.Keys.Where(known => !_admission.Holds(known)).ToList())
                {
                    _admitted.Remove(gone);
                }
            }
        }

        // Any change counts (address, membership, a downed node's verdict); only a new address restarts the margin.
        if (!_points.TryGetValue(point.NodeId, out var known) || !known.Equals(point))
        {
            _points[point.NodeId] = point;
            if (known is null || !known.Address.Equals(point.Address))
            {
                _changedAt = _clock.Now;
            }

            // A member's node ID is known once discovery has reported it, which may be after it came up.
            RememberMembers();
        }
    }

    // The members as this node sees them while it is one itself; nothing is written once it is being downed or leaves,
    // when its view of the others falls apart and would leave it remembering a cluster of one. A member discovery has
    // not reported is kept under the ID it had, or under its address: it must still count, or a cluster whose members
    // discovery missed would look smaller and easier to form again. This node is always among them.
    private void RememberMembers()
    {
        if (_cluster.IsTerminated || _members.GetValueOrDefault(_cluster.SelfUniqueAddress) is not (MemberStatus.Up or MemberStatus.WeaklyUp))
        {
            return;
        }

        var members = new Dictionary<Address, string> { [_cluster.SelfAddress] = _selfId };
        foreach (var member in _members.Keys.Select(unique => unique.Address).Where(address => !address.Equals(_cluster.SelfAddress)))
        {
            members[member] = _points.Values.FirstOrDefault(point => point.Address.Equals(member))?.NodeId ?? _memory.IdOf(member) ?? $"address:{member}";
        }

        _memory.Remember(members);
    }

    // An admitted node may be forgotten for a new one when discovery no longer sees it and it is no member.
    private bool MayMakeRoom(NodeId admitted) =>
        !_admitted.TryGetValue(admitted, out var point)
        || (!_points.ContainsKey(point.NodeId) && !_cluster.State.Members.Any(member => member.Address.Equals(point.Address)));

    private void Decide()
    {
        if (_joining)
        {
            return;
        }

        if (!_settings.NewClusterEnabled)
        {
            // Every tick: the announcer may have subscribed after the first, and it announces only a change.
            Context.System.EventStream.Publish(new FormingAgainVerdict(JoinDecider.MayFormAgain(_points.Values, _settings)));
        }

        var decision = JoinDecider.Decide(_cluster.SelfAddress, _points.Values, TimeSpan.FromMilliseconds(_clock.Now - _changedAt), _settings);
        switch (decision)
        {
            case JoinExisting join:
                _joining = true;
                _log.Info("joining cluster {0}: {1}", _settings.Name, join.Reason);
                _cluster.JoinSeedNodes(join.Seeds);
                Timers.StartSingleTimer("join", JoinTimedOut.Instance, JoinTimeout);
                break;
            case FormNew form:
                _joining = true;
                _log.Info("forming cluster {0}: {1}", _settings.Name, form.Reason);
                _cluster.Join(_cluster.SelfAddress);
                Timers.StartSingleTimer("join", JoinTimedOut.Instance, JoinTimeout);
                break;
            default:
                if (!string.Equals(decision.Reason, _lastReason, StringComparison.Ordinal))
                {
                    _log.Info("not joining yet: {0}", decision.Reason);
                }

                break;
        }

        _lastReason = decision.Reason;
    }

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }

    private sealed record JoinTimedOut
    {
        public static JoinTimedOut Instance { get; } = new();
    }

    private sealed record BecameMember
    {
        public static BecameMember Instance { get; } = new();
    }
}
