using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Hocon;
using Lan.Actors.Metrics;
using Lan.Actors.Protocol;
using Lan.Actors.Security;

namespace Lan.Actors.Io;

/// <summary>What every connection of a node is started with.</summary>
/// <param name="Handler">The actor told <see cref="Connected"/>, <see cref="Received"/> and <see cref="Disconnected"/>.</param>
/// <param name="Tcp">Heartbeats, queue limit, time-outs.</param>
/// <param name="Protocol">The limits the frame codecs enforce.</param>
/// <param name="Node">Who this node is, for the HELLO handshake.</param>
/// <param name="PullMode">True when the handler asks for each batch with <see cref="ResumeReading"/>.</param>
/// <param name="BatchDelivery">True when the handler is told one <see cref="ReceivedBatch"/> per read instead of one <see cref="Received"/> per packet.</param>
internal sealed record ConnectionSetup(IActorRef Handler, LanTcpSettings Tcp, ProtocolSettings Protocol, NodeSettings Node, bool PullMode, bool BatchDelivery = false)
{
    /// <summary>The node's budget for unfinished frames, shared by its inbound connections; null for none.</summary>
    public ReceiveBudget? Budget { get; init; }

    /// <summary>The node's budget for queued sends, shared by its inbound connections; null for none.</summary>
    public SendBudget? SendBudget { get; init; }

    /// <summary>TLS and the checks of the peer's ID; null in open mode.</summary>
    public ConnectionSecurity? Security { get; init; }

    /// <summary>The ID the peer must prove (the one discovery announced or the user named); null when none is known.</summary>
    public NodeId? ExpectedPeer { get; init; }
}

/// <summary>
/// Owns one TCP socket: decodes what arrives (through <see cref="FrameReader"/>), coalesces what is sent,
/// keeps the link alive with PING/PONG, and ends exactly once, telling its handler why. It is never
/// restarted — a restart cannot bring a socket back — so an unchosen end is a failure its supervisor
/// turns into a stop (server side) or a reconnect with back-off (client side).
/// </summary>
internal sealed partial class ConnectionActor : ReceiveActor, IWithTimers
{
    private const string TickTimer = "tick";

    // Packets read but not yet given to the handler, past which the socket is not read (push mode).
    private const int MaxUndelivered = 256;
    private static readonly Packet PingPacket = Packet.From(new Ping());
    private static readonly Packet PongPacket = Packet.From(new Pong());
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ConnectionSetup _setup;
    private readonly IPEndPoint? _remote;
    private readonly string _localId;
    private readonly Outbox _outbox;
    private Socket? _socket;
    private ByteLink? _link;
    private FrameReader? _reader;
    // The ID the peer proved in the TLS handshake; null in open mode.
    private NodeId? _proven;
    // Whether the handler was told Connected: a peer refused during the TLS handshake is news only to a connecting side.
    private bool _handlerKnows;
    private PeerInfo? _peer;
    private DisconnectReason? _endReason;
    private string _endDetail = "";
    private bool _firstPacketSeen;
    private bool _helloSeen;
    private long _openedAt;
    private bool _abort;
    private DateTimeOffset _connectedAt;
    private readonly LanClock _clock = LanClock.For(Context.System);
    private long _packetsIn;
    // Counted in lan.connection.active since it was established; taken off once, when it stops.
    private bool _metered;
    private long _lastPingSent;
    private int _heldPackets;
    private bool _endOfStreamWhileWriting;
    // Why the last write failed, while the peer's last words are read (ReadingLastWords).
    private Exception? _sendFailure;
    private bool _writing;
    private bool _flushScheduled;
    private bool _closePending;
    private long? _refusingSince;

    public ConnectionActor(ConnectionSetup setup, string localId, Socket? accepted, IPEndPoint? remote)
    {
        _setup = setup;
        _localId = localId;
        _socket = accepted;
        _remote = remote;
        _outbox = new Outbox(setup.Protocol, setup.SendBudget);
        if (accepted is not null)
        {
            Become(Open);
        }
        else
        {
            Become(Connecting);
        }
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A connection for a socket the listener accepted; <paramref name="localId"/> names the peer until its HELLO does.</summary>
    public static Props Inbound(Socket socket, ConnectionSetup setup, string localId) =>
        Props.Create(() => new ConnectionActor(setup, localId, socket, null));

    /// <summary>A connection that first connects to <paramref name="remote"/> within <c>lan.tcp.connect-timeout</c>.</summary>
    public static Props Outbound(IPEndPoint remote, ConnectionSetup setup) =>
        Props.Create(() => new ConnectionActor(setup, remote.ToString(), null, remote));

    private bool IsInbound => _remote is null;

    protected override void PreStart()
    {
        if (_socket is not null)
        {
            Established(_socket);
        }
        else
        {
            StartConnecting(_remote!);
        }
    }

    private void Connecting()
    {
        Receive<SocketConnected>(connected => Established(connected.Socket));
        Receive<ConnectFailed>(failed =>
        {
            // Said here, once, without a stack trace, and at INFO: the handler is told, and the command that wanted the
            // connection says what it means to the user; the connector's supervisor retries quietly.
            _log.Info("could not connect to {Remote}: {Error}; trying again after the back-off", _remote, failed.Error.Message);
            _setup.Handler.Tell(new ConnectAttemptFailed(_remote!, failed.Error.Message));
            throw new ConnectionFailedException(DisconnectReason.Dropped, $"could not connect to {_remote}: {failed.Error.Message}", failed.Error);
        });
        Receive<Send>(send => Refuse(send.Packet, SendRefusal.Closed, Sender));
        Receive<SendBatch>(send => RefuseAll(send.Packets, SendRefusal.Closed, Sender));
        Receive<Close>(_ => Context.Stop(Self));
        Receive<Abort>(_ => Context.Stop(Self));
    }

    private void Open()
    {
        Receive<PacketsRead>(OnPacketsRead);
        Receive<ReadEnded>(OnReadEnded);
        Receive<Send>(send => Enqueue(send.Packet, Sender));
        Receive<SendBatch>(send => EnqueueAll(send.Packets, Sender));
        Receive<FlushNow>(_ => OnFlushNow());
        Receive<WriteCompleted>(done => OnWriteCompleted(done));
        Receive<WriteFailed>(OnWriteFailed);
        Receive<ResumeReading>(_ => ResumeReadingRequested());
        Receive<Close>(close => BeginClose(IsInbound ? DisconnectReason.ServerClosed : DisconnectReason.Requested, close.Reason ?? "closed by this side"));
        Receive<CloseAs>(close => BeginClose(close.Reason, close.Detail));
        Receive<Abort>(_ => AbortNow());
        Receive<Tick>(_ => OnTick());
        Receive<GetPeerStats>(_ => Sender.Tell(Stats()));
    }

    // After a send failed: the peer's reset failed it, but what the peer sent before the reset can still be read, and a
    // DISCONNECT among it is the real end. The reader, which the reset ends at once, or the close time-out decides.
    private void ReadingLastWords()
    {
        Receive<PacketsRead>(read =>
        {
            OnPacketsRead(read);
            // Held or not, the rest is read: the link is gone, so there is no more than the socket buffered.
            ResumeReadingRequested();
        });
        Receive<ReadEnded>(_ => FailSending());
        Receive<Send>(send => Refuse(send.Packet, SendRefusal.Closed, Sender));
        Receive<SendBatch>(send => RefuseAll(send.Packets, SendRefusal.Closed, Sender));
        Receive<FlushNow>(_ => _flushScheduled = false);
        Receive<ResumeReading>(_ => { });
        Receive<Close>(_ => { });
        Receive<CloseAs>(_ => { });
        Receive<Abort>(_ => AbortNow());
        Receive<Tick>(_ => { });
        Receive<CloseTimedOut>(_ => FailSending());
        Receive<GetPeerStats>(_ => Sender.Tell(Stats()));
    }

    // After DISCONNECT is flushed: the send side is shut, and what the peer still sends is read and dropped,
    // so the close is graceful (closing with unread bytes would reset the link and could lose the DISCONNECT).
    private void Closing()
    {
        Receive<PacketsRead>(read => _reader?.Delivered(read.Packets.Count));
        Receive<ReadEnded>(_ => Context.Stop(Self));
        Receive<Send>(send => Refuse(send.Packet, SendRefusal.Closed, Sender));
        Receive<SendBatch>(send => RefuseAll(send.Packets, SendRefusal.Closed, Sender));
        Receive<FlushNow>(_ => OnFlushNow());
        Receive<WriteCompleted>(done => OnWriteCompleted(done));
        Receive<WriteFailed>(_ => Context.Stop(Self));
        Receive<ResumeReading>(_ => { });
        Receive<Close>(_ => { });
        Receive<CloseAs>(_ => { });
        Receive<Abort>(_ => AbortNow());
        Receive<Tick>(_ => { });
        Receive<CloseTimedOut>(_ => Context.Stop(Self));
        Receive<SendShutFailed>(_ => Context.Stop(Self));
        Receive<GetPeerStats>(_ => Sender.Tell(Stats()));
    }

    private void Established(Socket socket)
    {
        _socket = socket;
        socket.NoDelay = _setup.Tcp.NoDelay;
        var endpoint = (IPEndPoint)socket.RemoteEndPoint!;
        // One name for one peer: an anonymous inbound peer is called what the logs call it (anon-1) until its HELLO.
        _peer = new PeerInfo(_localId, IsInbound ? _localId : "", endpoint, IsInbound);
        _connectedAt = DateTimeOffset.UtcNow;
        _openedAt = _clock.Now;
        if (_setup.Security is { } security)
        {
            StartSecuring(socket, security);
        }
        else
        {
            Opened(ByteLink.Plain(socket));
        }
    }

    /// <summary>The link is ready (at once in open mode, after the handshake under TLS): the handler hears of the peer, and reading starts.</summary>
    private void Opened(ByteLink link)
    {
        _link = link;
        _reader = new FrameReader(link, _setup.Protocol, Self, _setup.PullMode ? 1 : MaxUndelivered, _clock, _setup.Budget);
        Become(Open);
        var endpoint = _peer!.EndPoint;
        var proven = _proven is null ? "" : $" (proved node {_proven})";
        if (IsInbound)
        {
            _log.Info("{Peer} connected from {EndPoint}{Proven}", _peer.Name, endpoint, proven);
        }
        else
        {
            _log.Info("connected to {EndPoint}{Proven}", endpoint, proven);
        }

        _handlerKnows = true;
        _metered = true;
        LanMetrics.ActiveConnections.Add(1, IsInbound ? LanMetrics.Inbound : LanMetrics.Outbound);
        LanMetrics.ConnectionsOpened.Add(1, IsInbound ? LanMetrics.Inbound : LanMetrics.Outbound);
        _setup.Handler.Tell(new Connected(Self, _peer), Self);
        Context.System.EventStream.Publish(new ConnectionOpened(Self, _peer));
        if (!IsInbound)
        {
            var node = _setup.Node;
            Enqueue(Packet.From(new Hello(node.Id, node.Name, node.App)), ActorRefs.NoSender);
        }

        var tcp = _setup.Tcp;
        var period = TimeSpan.FromTicks(Math.Min(tcp.HeartbeatInterval.Ticks, tcp.FrameTimeout.Ticks) / 2);
        Timers.StartPeriodicTimer(TickTimer, Tick.Instance, period);
        _reader.Start();
        // What was sent while the handshake ran.
        Flush();
    }

    private void OnReadEnded(ReadEnded ended)
    {
        if (ended.Error is null && _writing)
        {
            // A send in flight may have taken the reset the peer sent, leaving the reader only an end of stream;
            // its outcome tells a drop from a close.
            _endOfStreamWhileWriting = true;
            return;
        }

        switch (ended.Error)
        {
            case null when IsInbound:
                Fail(DisconnectReason.Dropped, "the client closed its side without DISCONNECT", new PeerDroppedException("the client closed its side without DISCONNECT"));
                break;
            case null:
                Fail(DisconnectReason.ServerClosed, "the server closed the connection without DISCONNECT", new ServerClosedException("the server closed the connection without DISCONNECT"));
                break;
            case ProtocolException { Reason: ProtocolError.TruncatedFrame } truncated:
                Fail(DisconnectReason.Dropped, truncated.Message, new PeerDroppedException(truncated.Message, truncated));
                break;
            case ProtocolException protocol:
                Fail(DisconnectReason.ProtocolError, $"{protocol.Reason}: {protocol.Message}", protocol);
                break;
            default:
                Fail(DisconnectReason.Dropped, ended.Error.Message, new PeerDroppedException(ended.Error.Message, ended.Error));
                break;
        }
    }

    private void OnTick()
    {
        var now = _clock.Now;
        var tcp = _setup.Tcp;
        // A peer that never reads while it keeps the link alive (and perhaps keeps asking for answers) would otherwise
        // hold its share of the queue for ever.
        if (_refusingSince is { } refusing && now - refusing >= tcp.SlowConsumerGrace.TotalMilliseconds)
        {
            Fail(DisconnectReason.SlowConsumer,
                $"sends were refused as the send queue was full ({_outbox.QueuedBytes} bytes queued) and nothing was written for {now - refusing} ms (lan.tcp.slow-consumer-grace = {DurationFormat.Format(tcp.SlowConsumerGrace)})",
                new ConnectionFailedException(DisconnectReason.SlowConsumer, "slow consumer"));
            return;
        }

        // A peer that keeps the link alive with PINGs and never says who it is would hold a place for ever.
        if (IsInbound && tcp.RequireHello && !_helloSeen && !_closePending && now - _openedAt >= tcp.HelloTimeout.TotalMilliseconds)
        {
            RejectPeer($"no HELLO within {DurationFormat.Format(tcp.HelloTimeout)} (lan.tcp.hello-timeout; lan.tcp.require-hello = on)");
            return;
        }

        if (_reader!.IsPaused)
        {
            return;
        }

        var silentFor = now - _reader.LastBytes;
        // A stalled frame is the more exact reason when both deadlines have passed (a late tick under load).
        if (_reader.MidFrameSince is { } since && now - since >= tcp.FrameTimeout.TotalMilliseconds)
        {
            Fail(DisconnectReason.FrameTimeout, $"a frame was started {now - since} ms ago and not finished (lan.tcp.frame-timeout = {DurationFormat.Format(tcp.FrameTimeout)})",
                new ConnectionFailedException(DisconnectReason.FrameTimeout, "frame timeout"));
            return;
        }

        if (silentFor >= tcp.HeartbeatTimeout.TotalMilliseconds)
        {
            Fail(DisconnectReason.HeartbeatTimeout, $"nothing arrived for {silentFor} ms (lan.tcp.heartbeat-timeout = {DurationFormat.Format(tcp.HeartbeatTimeout)})",
                new ConnectionFailedException(DisconnectReason.HeartbeatTimeout, "heartbeat timeout"));
            return;
        }

        if (silentFor >= tcp.HeartbeatInterval.TotalMilliseconds && now - _lastPingSent >= tcp.HeartbeatInterval.TotalMilliseconds)
        {
            _lastPingSent = now;
            Enqueue(PingPacket, ActorRefs.NoSender);
        }
    }

    private PeerStats Stats() => new(
        _peer!,
        _connectedAt,
        DateTimeOffset.UtcNow - TimeSpan.FromMilliseconds(_clock.Now - (_reader?.LastBytes ?? _openedAt)),
        _packetsIn,
        _outbox.PacketsSent,
        _reader?.BytesRead ?? 0,
        _outbox.BytesSent)
    {
        QueuedPackets = _outbox.Count,
        QueuedBytes = _outbox.QueuedBytes,
    };

    /// <summary>An end this actor did not choose: remembered for PostStop, then thrown so the supervisor decides.</summary>
    private void Fail(DisconnectReason reason, string detail, Exception error)
    {
        if (_endReason is not null)
        {
            return;
        }

        _endReason = reason;
        _endDetail = detail;
        throw error is ConnectionFailedException or ProtocolException ? error : new ConnectionFailedException(reason, detail, error);
    }

    private void AbortNow()
    {
        _endReason ??= DisconnectReason.Aborted;
        _endDetail = _endDetail.Length == 0 ? "aborted by this side" : _endDetail;
        _abort = true;
        Context.Stop(Self);
    }

    protected override void PostStop()
    {
        _reader?.Stop();
        _outbox.Abandon();
        if (!_writing)
        {
            // A send still in flight may read its buffer until the socket is gone; that one is left to the GC.
            _outbox.Release();
        }

        if (_socket is not null)
        {
            if (_abort || _endReason is DisconnectReason.ProtocolError or DisconnectReason.HeartbeatTimeout or DisconnectReason.FrameTimeout or DisconnectReason.SlowConsumer)
            {
                // A reset tells the peer at once that nothing more is coming, and frees the port without TIME_WAIT.
                _socket.LingerState = new LingerOption(true, 0);
            }

            _link?.Dispose();
            _socket.Dispose();
        }

        if (_metered)
        {
            LanMetrics.ActiveConnections.Add(-1, IsInbound ? LanMetrics.Inbound : LanMetrics.Outbound);
            LanMetrics.ConnectionsClosed.Add(1, LanMetrics.Tag(LanMetrics.CloseReasonTag, (_endReason ?? DisconnectReason.Shutdown).ToString()));
            Context.System.EventStream.Publish(new ConnectionEnded(Self, _peer!, _endReason ?? DisconnectReason.Shutdown, _endDetail.Length == 0 ? "the node stopped the connection" : _endDetail));
        }

        if (_peer is not null && (_handlerKnows || !IsInbound))
        {
            var reason = _endReason ?? DisconnectReason.Shutdown;
            var detail = _endDetail.Length == 0 ? "the node stopped the connection" : _endDetail;
            _log.Info("{Peer} disconnected: {Reason} ({Detail})", Describe(_peer), reason, detail);
            _setup.Handler.Tell(new Disconnected(Self, _peer, reason, detail), Self);
        }
    }

    // "lobby at 127.0.0.1:45629", or the address alone while the peer has no name (a server not yet welcomed).
    private static string Describe(PeerInfo peer) => peer.Name.Length == 0 ? peer.EndPoint.ToString() : $"{peer.Name} at {peer.EndPoint}";

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }

    private sealed record CloseTimedOut
    {
        public static CloseTimedOut Instance { get; } = new();
    }
}
