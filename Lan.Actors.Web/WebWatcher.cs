using Akka.Actor;
using Lan.Actors.Discovery;
using Lan.Actors.Filer;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Web;

/// <summary>
/// What the page shows, kept in one actor: the discovery table and the connections as the event stream reports them,
/// the node's peers asked for every second, the rates, and the chat room as the page's own member hears it. Every list is
/// bounded (the table by discovery's own bound, the rest by the constants below).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "An actor's resources are released in PostStop, which Akka always runs; actors are not disposed.")]
internal sealed class WebWatcher : ReceiveActor, IWithTimers
{
    public const int MaxDisconnects = 50;
    public const int MaxLines = 200;
    public const int MaxServers = 1024;

    private readonly LanWebNode _node;
    private readonly WebRates _rates = new();
    private readonly Dictionary<string, WebServerView> _servers = new(StringComparer.Ordinal);
    private readonly Queue<WebDisconnectView> _disconnects = new();
    private readonly Queue<WebChatLine> _lines = new();
    private readonly SortedSet<string> _members = new(StringComparer.Ordinal);
    private IReadOnlyList<WebConnectionView> _connections = [];
    private readonly Dictionary<string, ServerInfo> _found = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WebTransferView> _transfers = new(StringComparer.Ordinal);
    private readonly Queue<string> _transferOrder = new();
    private IReadOnlyList<WebOfferView> _offers = [];
    private string? _uploads;
    public const int MaxTransfers = 100;
    private IActorRef? _chat;
    private bool _chatConnected;

    private readonly IActorRef? _offerDesk;

    public WebWatcher(LanWebNode node, IActorRef? offerDesk)
    {
        _node = node;
        _offerDesk = offerDesk;
        Receive<ServerFound>(found => Keep(found.Server, isNew: true));
        Receive<ServerUpdated>(updated => Keep(updated.Server, isNew: false));
        Receive<ServerLost>(lost =>
        {
            _servers.Remove(lost.Server.Id);
            _found.Remove(lost.Server.Id);
        });
        Receive<FindServer>(find => Sender.Tell(new FoundServer(_found.GetValueOrDefault(find.Id))));
        Receive<TransferStarted>(started => Track(started.Id, started.Direction, started.Name, started.From, started.Size, "active", ""));
        Receive<TransferProgress>(progress => Track(progress.Id, progress.Direction, progress.Name, progress.Bytes, progress.Size, "active", ""));
        Receive<TransferCompleted>(done =>
        {
            Track(done.Id, done.Direction, done.Name, done.Size, done.Size, "done", done.Direction == TransferDirection.Receiving ? done.Path : "");
            ForgetUpload(done.Direction, done.Path);
        });
        Receive<UploadsAt>(uploads => _uploads = uploads.Folder);
        Receive<TransferFailed>(failed =>
        {
            Track(failed.Id, failed.Direction, failed.Name, -1, -1, "failed", failed.Reason);
            ForgetUpload(failed.Direction, failed.Path);
        });
        Receive<TransferInterrupted>(cut => Track(cut.Id, TransferDirection.Sending, cut.Name, cut.Bytes, cut.Size, "interrupted", cut.Reason));
        Receive<WebOfferDesk.Offers>(offers => _offers = offers.Waiting);
        Receive<ConnectionEnded>(ended =>
        {
            _disconnects.Enqueue(new WebDisconnectView(Describe(ended.Peer), ended.Peer.EndPoint.ToString(), ended.Reason.ToString(), ended.Detail, DateTimeOffset.UtcNow));
            while (_disconnects.Count > MaxDisconnects)
            {
                _disconnects.Dequeue();
            }
        });
        Receive<ConnectionOpened>(_ => { });
        Receive<Tick>(_ =>
        {
            _rates.Sample(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            _node.Node.Ask<Peers>(GetPeers.Instance, TimeSpan.FromSeconds(1)).PipeTo(Self, failure: _ => NoPeers.Instance);
            _offerDesk?.Ask<WebOfferDesk.Offers>(WebOfferDesk.GetOffers.Instance, TimeSpan.FromSeconds(1)).PipeTo(Self, failure: _ => NoPeers.Instance);
        });
        Receive<Peers>(peers => _connections = [.. peers.Connected.Select(stats => new WebConnectionView(
            Describe(stats.Peer), stats.Peer.Id, stats.Peer.EndPoint.ToString(), stats.Peer.Inbound, stats.ConnectedAt,
            stats.PacketsIn, stats.PacketsOut, stats.BytesIn, stats.BytesOut, stats.QueuedPackets, stats.QueuedBytes))]);
        Receive<NoPeers>(_ => { });
        Receive<GetSnapshot>(_ => Sender.Tell(Snapshot()));
        Receive<WebChatMember.Joined>(joined =>
        {
            _chat = joined.Member;
            _chatConnected = true;
        });
        Receive<WebChatMember.Left>(_ =>
        {
            _chatConnected = false;
            _members.Clear();
        });
        Receive<WebChatMember.Heard>(heard => Heard(heard.Packet));
        Receive<WebSay>(say =>
        {
            if (say.Text is { Length: > 0 } text)
            {
                _chat?.Tell(say);
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Create(LanWebNode node, IActorRef? offerDesk) => Props.Create(() => new WebWatcher(node, offerDesk));

    protected override void PreStart()
    {
        Type[] files = _node.Files ? [typeof(TransferStarted), typeof(TransferProgress), typeof(TransferCompleted), typeof(TransferFailed), typeof(TransferInterrupted)] : [];
        foreach (var type in new[] { typeof(ServerFound), typeof(ServerUpdated), typeof(ServerLost), typeof(ConnectionEnded) }.Concat(files))
        {
            Context.System.EventStream.Subscribe(Self, type);
        }

        Timers.StartPeriodicTimer("tick", Tick.Instance, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _rates.Dispose();
    }

    private void Keep(ServerInfo server, bool isNew)
    {
        if (server.Id == _node.Id)
        {
            return;
        }

        if (!_servers.TryGetValue(server.Id, out var known) && _servers.Count >= MaxServers)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        _found[server.Id] = server;
        _servers[server.Id] = new WebServerView(
            server.Id, PeerText.ForDisplay(server.Name), server.App, server.EndPoint.ToString(), server.Source.ToString().ToLowerInvariant(),
            isNew || known is null ? now : known.FoundAt, now, server.Meta);
    }

    // A transfer's latest state; a failure keeps the bytes it had. The oldest beyond MaxTransfers is forgotten.
    private void Track(string id, TransferDirection direction, string name, long bytes, long size, string state, string detail)
    {
        var key = (direction == TransferDirection.Sending ? "send:" : "receive:") + id;
        if (!_transfers.TryGetValue(key, out var known))
        {
            _transferOrder.Enqueue(key);
            while (_transferOrder.Count > MaxTransfers)
            {
                _transfers.Remove(_transferOrder.Dequeue());
            }
        }

        _transfers[key] = new WebTransferView(
            key, name, direction == TransferDirection.Sending ? "send" : "receive",
            bytes >= 0 ? bytes : known?.Bytes ?? 0, size >= 0 ? size : known?.Size ?? 0, state, detail);
    }

    // A file dropped onto the page was a copy on its way: once the receiver has it, or the sender has given it up (a
    // refusal is final; a cut is not, and is offered again), the copy and its folder go. Kept, failed copies would
    // fill the disk with every file a receiver refused.
    private void ForgetUpload(TransferDirection direction, string path)
    {
        if (direction != TransferDirection.Sending || _uploads is null || path.Length == 0
            || Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path))) != Path.GetFullPath(_uploads))
        {
            return;
        }

        try
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
        catch (IOException)
        {
            // Still open somewhere: the page's own clean-up takes it when the page stops.
        }
    }

    // The room as the page's member hears it: its lines, and who is there.
    private void Heard(Packet packet)
    {
        switch (packet.Type)
        {
            case PacketTypes.Message:
                _lines.Enqueue(new WebChatLine(Field(packet, "FROM"), Field(packet, "TEXT"), DateTimeOffset.UtcNow));
                while (_lines.Count > MaxLines)
                {
                    _lines.Dequeue();
                }

                break;
            case "MEMBERS":
                foreach (var name in Field(packet, "NAMES").Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(MaxServers))
                {
                    _members.Add(name);
                }

                break;
            case "JOINED" when _members.Count < MaxServers:
                _members.Add(Field(packet, "NAME"));
                break;
            case "LEFT":
                _members.Remove(Field(packet, "NAME"));
                break;
        }
    }

    private static string Field(Packet packet, string name) => packet.TryGet<string>(name, out var value) ? value : "";

    // A name the peer chose, as the page shows it: with bidirectional overrides and controls escaped as in a terminal,
    // so "bob\u202Egnp.exe" cannot read as another name or reorder the ID shown after it.
    private static string Describe(PeerInfo peer) => PeerText.ForDisplay(peer.Name.Length > 0 ? peer.Name : peer.Id);

    private WebSnapshot Snapshot() => new(
        new WebNodeView(_node.Name, _node.Id, _node.Mode, _node.StartedAt, (DateTimeOffset.UtcNow - _node.StartedAt).TotalSeconds, _node.Addresses),
        [.. _servers.Values.OrderBy(server => server.Name, StringComparer.Ordinal)],
        _connections,
        [.. _disconnects.Reverse()],
        _rates.Points,
        _node.ChatRoom is null ? null : new WebChatView(_node.ChatRoom, _chatConnected, [.. _members], [.. _lines]),
        _node.Files ? new WebFilesView([.. _transferOrder.Reverse().Where(_transfers.ContainsKey).Select(key => _transfers[key])], _offers) : null);

    internal sealed record FindServer(string Id);

    internal sealed record UploadsAt(string Folder);

    internal sealed record FoundServer(ServerInfo? Server);

    internal sealed record GetSnapshot
    {
        public static GetSnapshot Instance { get; } = new();
    }

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }

    private sealed record NoPeers
    {
        public static NoPeers Instance { get; } = new();
    }
}
