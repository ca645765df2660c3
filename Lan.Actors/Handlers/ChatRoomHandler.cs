using System.Text;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Discovery;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Handlers;

/// <summary>
/// A chat room on a server node: every <c>MESSAGE</c> {TEXT} goes to everyone as <c>MESSAGE</c> {TEXT, FROM}
/// with the sender's name; <c>JOINED</c> {NAME, ASKED?} and <c>LEFT</c> {NAME, REASON} announce members, and a newcomer
/// to a room that is not empty first gets <c>MEMBERS</c> {NAMES: the names, one per line}. A member
/// joins when it says who it is (HELLO) or, for a peer that sends no HELLO, with its first packet, under its
/// peer id; a connection that never says anything is no member.
/// </summary>
/// <remarks>
/// A name in the room is the peer's, made fit for it (<see cref="RoomName"/>): no control or bidirectional characters
/// (so no line breaks: one per line in MEMBERS stays true), no leading <c>*</c> (the mark of a room's own lines in a
/// client), at most <see cref="MaxNameLength"/> characters, and unique without regard to case: a second <c>bob</c>
/// joins as <c>bob (2)</c>, and its JOINED says <c>ASKED: bob</c>, so everyone sees which one is new.
/// With a bridge (<see cref="ChatRoomHandler(Props)"/>), the room is one of several places of one room: its lines and
/// members go to the bridge, and the lines and members of the other places come back from it, shown as if said here
/// (names are unique per place only). Packets the room does not handle go to the bridge, which may answer them.
/// A member says at most <see cref="LinesPerSecond"/> lines a second (a burst of twice that), each at most
/// <see cref="MaxLineLength"/> characters (a longer one is cut): one member's flood must not fill every other
/// member's send queue, where the lines of everyone else would be refused with it.
/// </remarks>
public sealed class ChatRoomHandler : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, string> _members = [];
    private readonly Dictionary<IActorRef, PeerInfo> _arrived = [];
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<IActorRef, TokenBucket> _rates = [];
    private readonly LanClock _clock = LanClock.For(Context.System);
    private readonly Props? _bridgeProps;
    private IActorRef? _bridge;
    private readonly Dictionary<string, IReadOnlyList<string>> _remote = new(StringComparer.Ordinal);
    private long _undelivered;
    private long _muted;

    /// <summary>The most places a bridge may report; members of a place beyond it are not shown.</summary>
    public const int MaxRemotePlaces = 64;

    /// <summary>The most members one remote place may report; the rest of its list is not shown.</summary>
    public const int MaxRemoteMembers = 1000;

    /// <summary>Lines a second one member may say; twice as many may come at once.</summary>
    public const int LinesPerSecond = 20;

    /// <summary>The longest line, in characters; a longer one is cut to this.</summary>
    public const int MaxLineLength = 4096;

    /// <summary>The longest name a member keeps in the room; a longer one is cut.</summary>
    public const int MaxNameLength = 32;

    /// <summary>Creates the room.</summary>
    public ChatRoomHandler()
        : this(null)
    {
    }

    /// <summary>Creates a room that is one place of a room held at several: <paramref name="bridge"/> makes its link to the others (a child of the room).</summary>
    /// <param name="bridge">Props of the bridge actor; null for a room on its own.</param>
    public ChatRoomHandler(Props? bridge)
    {
        _bridgeProps = bridge;
        Receive<Connected>(connected => _arrived[connected.Connection] = connected.Peer);
        Receive<Identified>(identified => Join(identified.Connection, identified.Peer));
        Receive<Received>(received => received.Packet.Type == PacketTypes.Message, received =>
        {
            JoinAnonymously(received.Connection);
            Say(received.Connection, received.Packet);
        });
        Receive<RemoteLineHeard>(heard => ToAll(Line(RoomName(heard.From ?? ""), heard.Text ?? "")));
        Receive<RemoteMembersHeard>(heard => Replace(heard.Place, heard.Names, "Left"));
        Receive<RemotePlaceGone>(gone => Replace(gone.Place, [], gone.Reason));
        Receive<Received>(received =>
        {
            if (_bridge is not null)
            {
                _bridge.Forward(received);
            }
            else
            {
                _log.Debug("ignored {Type} from {Member}", received.Packet.Type, Name(received.Connection));
            }
        });
        Receive<Disconnected>(disconnected => Leave(disconnected.Connection, disconnected.Reason));
        Receive<SendRefused>(refused => refused.Reason == SendRefusal.QueueFull, _ =>
        {
            if (DecadeLog.IsLogged(++_undelivered))
            {
                _log.Warning("a member reads too slowly; a line was not delivered to it ({Count} so far)", _undelivered);
            }
        });
        Receive<SendRefused>(refused => _log.Debug("one line not delivered: {Reason}", refused.Reason));
    }

    private void Join(IActorRef connection, PeerInfo peer)
    {
        _arrived.Remove(connection);
        if (_members.ContainsKey(connection))
        {
            return;
        }

        var asked = RoomName(peer.Name.Length > 0 ? peer.Name : peer.Id);
        var name = asked;
        for (var n = 2; !_names.Add(name); n++)
        {
            name = $"{asked} ({n})";
        }

        if (_members.Count > 0 || _remote.Count > 0)
        {
            // The newcomer learns who is already here; everyone (the newcomer too) then hears the JOINED.
            // At most MaxRemoteMembers names in all: the list must fit one frame however many places report.
            connection.Tell(new Send(Packet.Create("MEMBERS").Set("NAMES", string.Join('\n', _members.Values.Concat(_remote.Values.SelectMany(names => names)).Take(MaxRemoteMembers))).Build()));
        }

        _members[connection] = name;
        var joined = Packet.Create("JOINED").Set("NAME", name);
        ToAll((name == asked ? joined : joined.Set("ASKED", asked)).Build());
        TellBridgeMembers();
    }

    /// <inheritdoc/>
    protected override void PreStart()
    {
        if (_bridgeProps is not null)
        {
            _bridge = Context.ActorOf(_bridgeProps, "bridge");
        }
    }

    private void TellBridgeMembers() => _bridge?.Tell(new RoomMembersChanged([.. _members.Values]));

    // A place's members as reported now: who is new JOINED, who is missing LEFT, so every member here sees the merged list.
    private void Replace(string place, IReadOnlyList<string> reported, string reason)
    {
        if (!_remote.ContainsKey(place) && (reported.Count == 0 || _remote.Count >= MaxRemotePlaces))
        {
            return;
        }

        // A bridge relays what another node said: nothing in it is trusted to be well formed.
        var names = reported.Where(name => name is not null).Take(MaxRemoteMembers).Select(RoomName).Distinct(StringComparer.Ordinal).ToList();
        var before = _remote.TryGetValue(place, out var known) ? known : [];
        foreach (var gone in before.Except(names, StringComparer.Ordinal))
        {
            ToAll(Packet.Create("LEFT").Set("NAME", gone).Set("REASON", reason).Build());
        }

        foreach (var arrived in names.Except(before, StringComparer.Ordinal))
        {
            ToAll(Packet.Create("JOINED").Set("NAME", arrived).Build());
        }

        if (names.Count == 0)
        {
            _remote.Remove(place);
        }
        else
        {
            _remote[place] = names;
        }
    }

    private void JoinAnonymously(IActorRef connection)
    {
        if (_arrived.TryGetValue(connection, out var peer))
        {
            Join(connection, peer);
        }
    }

    private void Say(IActorRef connection, Packet message)
    {
        var text = message.TryGet<string>("TEXT", out var said) ? said : "";
        if (text.Length == 0)
        {
            return;
        }

        if (!_rates.TryGetValue(connection, out var rate))
        {
            rate = _rates[connection] = new TokenBucket(LinesPerSecond, 2 * LinesPerSecond, _clock.Now);
        }

        if (!rate.TryTake(_clock.Now))
        {
            if (DecadeLog.IsLogged(++_muted))
            {
                _log.Warning("{Member} says more than {Rate} lines a second; a line was dropped ({Count} so far)", Name(connection), LinesPerSecond, _muted);
            }

            return;
        }

        var line = Line(Name(connection), text);
        ToAll(line);
        _bridge?.Tell(new RoomLineSaid(line.GetString("FROM"), line.GetString("TEXT")));
    }

    private static Packet Line(string from, string text) =>
        Packet.Create(PacketTypes.Message)
            .Set("TEXT", text.Length <= MaxLineLength ? text : string.Concat(text.AsSpan(0, MaxLineLength), "…"))
            .Set("FROM", from)
            .Build();

    private void Leave(IActorRef connection, DisconnectReason reason)
    {
        _arrived.Remove(connection);
        _rates.Remove(connection);
        if (_members.Remove(connection, out var name))
        {
            _names.Remove(name);
            ToAll(Packet.Create("LEFT").Set("NAME", name).Set("REASON", reason.ToString()).Build());
            TellBridgeMembers();
        }
    }

    /// <summary>
    /// A peer's name as the room shows it: characters a terminal acts on (controls, line breaks, bidirectional marks)
    /// and leading <c>*</c> and spaces removed, cut to <see cref="MaxNameLength"/>; <c>anon</c> when nothing is left.
    /// </summary>
    public static string RoomName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var kept = new StringBuilder(Math.Min(name.Length, MaxNameLength));
        foreach (var rune in name.EnumerateRunes())
        {
            var text = rune.ToString();
            if (PeerText.IsSafe(text) && !(kept.Length == 0 && (rune.Value == '*' || Rune.IsWhiteSpace(rune))))
            {
                if (kept.Length + text.Length > MaxNameLength)
                {
                    break;
                }

                kept.Append(text);
            }
        }

        var room = kept.ToString().TrimEnd();
        return room.Length == 0 ? "anon" : room;
    }

    private string Name(IActorRef connection) => _members.TryGetValue(connection, out var name) ? name : "?";

    private void ToAll(Packet packet)
    {
        // One Send object for all: the packet's bytes are encoded once and shared.
        var send = new Send(packet);
        foreach (var member in _members.Keys)
        {
            member.Tell(send);
        }
    }
}
