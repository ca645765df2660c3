using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Lan.Actors.Discovery;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Io = Lan.Actors.Io;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Lan.Actors.Cluster;

/// <summary>
/// Joins a <see cref="ChatRoomHandler"/> on every node of the cluster into one room, through DistributedPubSub: each
/// node's bridge subscribes to the room's topic and publishes its node's lines and members there. Chosen over a cluster
/// singleton room because a line then goes from the speaker's node straight to every other node, with no node whose loss
/// ends the room, and a node's members leave with it (MemberRemoved) while the others carry on. Also answers
/// <c>CLUSTER_STATE</c> on a LAN connection (<see cref="ClusterStateReport"/>).
/// </summary>
internal sealed class ClusterRoomBridge : ReceiveActor, IWithTimers
{
    private readonly string _room;
    private readonly string _topic;
    private readonly AkkaCluster _cluster = AkkaCluster.Get(Context.System);
    private readonly IActorRef _mediator = DistributedPubSub.Get(Context.System).Mediator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _place;
    private string[] _names = [];
    private readonly Dictionary<string, (TokenBucket Bucket, int Rate)> _rates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _placeSize = new(StringComparer.Ordinal);
    private readonly LanClock _clock = LanClock.For(Context.System);
    private Io.Send? _report;
    private long _reportAt;
    private long _dropped;

    // Members are published again this often: a node whose subscription had not yet spread still learns them soon.
    private static readonly TimeSpan RepeatMembers = TimeSpan.FromSeconds(2);

    public ClusterRoomBridge(string room)
    {
        _room = room;
        _topic = "lan-chat-" + room;
        _place = _cluster.SelfAddress.ToString();
        Receive<RoomLineSaid>(said => _mediator.Tell(new Publish(_topic, new ClusterChatLine(_place, said.From, said.Text))));
        Receive<RoomMembersChanged>(changed =>
        {
            _names = [.. changed.Names.Take(ChatRoomHandler.MaxRemoteMembers)];
            PublishMembers();
        });
        Receive<RepeatTick>(_ => PublishMembers());
        // A report counts only from a member node it names, as the sender's address says. That keeps an honest node's
        // late or misrouted messages apart and bounds the tables here by the members; it is no proof against a member
        // that lies: classic remoting carries the sender's path as the sending node wrote it (docs/SECURITY.md: a
        // member can do what Akka lets a member do).
        Receive<ClusterChatLine>(line => FromElsewhere(line.Place) && IsMember(line.Place), line =>
        {
            if (TakeLine(line.Place))
            {
                Context.Parent.Tell(new RemoteLineHeard(line.From ?? "?", line.Text ?? ""));
            }
        });
        Receive<ClusterRoomMembers>(members => FromElsewhere(members.Place) && IsMember(members.Place), members =>
        {
            var names = (members.Names ?? []).Where(name => name is not null).Take(ChatRoomHandler.MaxRemoteMembers).ToArray();
            _placeSize[members.Place] = names.Length;
            Context.Parent.Tell(new RemoteMembersHeard(members.Place, names));
        });
        Receive<ClusterChatLine>(_ => Nothing());
        Receive<ClusterRoomMembers>(_ => Nothing());
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            var place = removed.Member.Address.ToString();
            _rates.Remove(place);
            _placeSize.Remove(place);
            Context.Parent.Tell(new RemotePlaceGone(place, "NodeLeft"));
        });
        Receive<ClusterEvent.MemberUp>(_ => PublishMembers());
        Receive<ClusterEvent.CurrentClusterState>(_ => Nothing());
        Receive<SubscribeAck>(_ => _log.Debug("room {0} joined topic {1}", _room, _topic));
        Receive<Received>(received => received.Packet.Type == ClusterStateReport.PacketType, received =>
        {
            // Built at most once a second however often it is asked: a report can list a thousand members.
            if (_report is null || _clock.Now - _reportAt >= 1000)
            {
                _report = new Io.Send(ClusterStateReport.Of(_cluster, _room).ToPacket());
                _reportAt = _clock.Now;
            }

            received.Connection.Tell(_report);
        });
        Receive<Received>(received => _log.Debug("ignored {0} in room {1}", received.Packet.Type, _room));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The bridge of the room <paramref name="room"/>, to give a <see cref="ChatRoomHandler"/>.</summary>
    public static Props Create(string room) => Props.Create(() => new ClusterRoomBridge(room));

    protected override void PreStart()
    {
        _mediator.Tell(new Subscribe(_topic, Self));
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved), typeof(ClusterEvent.MemberUp));
        Timers.StartPeriodicTimer("members", RepeatTick.Instance, RepeatMembers);
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private bool FromElsewhere(string? place) =>
        place is not null && !string.Equals(place, _place, StringComparison.Ordinal)
        && string.Equals(Sender.Path.Address.ToString(), place, StringComparison.Ordinal);

    // A node says at most what its members may say (ChatRoomHandler.LinesPerSecond each), so one member node's flood
    // cannot fill every member's send queue here; its members' count is what it last reported.
    private bool TakeLine(string place)
    {
        var members = Math.Max(1, _placeSize.GetValueOrDefault(place));
        var rate = ChatRoomHandler.LinesPerSecond * members;
        if (!_rates.TryGetValue(place, out var limit) || limit.Rate != rate)
        {
            limit = _rates[place] = (new TokenBucket(rate, 2 * rate, _clock.Now), rate);
        }

        if (limit.Bucket.TryTake(_clock.Now))
        {
            return true;
        }

        if (DecadeLog.IsLogged(++_dropped))
        {
            _log.Warning("node {0} relays more lines than its {1} member(s) may say; a line was dropped ({2} so far)", PeerText.ForDisplay(PeerText.Shortened(place, 200)), members, _dropped);
        }

        return false;
    }

    // A report from a node that has been removed (a late message) must not bring its members back.
    private bool IsMember(string place) => _cluster.State.Members.Any(member => string.Equals(member.Address.ToString(), place, StringComparison.Ordinal) && member.Status != MemberStatus.Removed);

    private void PublishMembers() => _mediator.Tell(new Publish(_topic, new ClusterRoomMembers(_place, _names)));

    private static void Nothing()
    {
    }

    private sealed record RepeatTick
    {
        public static RepeatTick Instance { get; } = new();
    }
}
