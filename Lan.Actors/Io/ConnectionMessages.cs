using System.Net;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Protocol;

namespace Lan.Actors.Io;

// The conversation between a connection actor and its handler, grouped as Akka.IO groups its Tcp messages.

/// <summary>Queues <paramref name="Packet"/> for sending; refused with <see cref="SendRefused"/> when the queue is full.</summary>
public sealed record Send(Packet Packet);

/// <summary>
/// Queues every packet of <paramref name="Packets"/> for sending, in order, as that many <see cref="Send"/>s would but in one
/// message; each packet that is not queued is refused on its own with <see cref="SendRefused"/>. The list must not change afterwards.
/// </summary>
public sealed record SendBatch(IReadOnlyList<Packet> Packets);

/// <summary>Sends <c>DISCONNECT</c>, flushes what is queued, then closes the connection.</summary>
/// <param name="Reason">Text carried in the DISCONNECT packet, for the peer's logs.</param>
/// <remarks>A Close that finds the connection already gone (or its connector between two attempts) is not reported as a dead letter: it was closed.</remarks>
public sealed record Close(string? Reason = null) : IDeadLetterSuppression;

/// <summary>Resets the connection at once (TCP RST): nothing queued is sent and the peer sees a drop.</summary>
public sealed record Abort
{
    /// <summary>The one instance.</summary>
    public static Abort Instance { get; } = new();
}

/// <summary>In pull mode, asks the connection for the next batch of received packets.</summary>
public sealed record ResumeReading
{
    /// <summary>The one instance.</summary>
    public static ResumeReading Instance { get; } = new();
}

/// <summary>Why a <see cref="Send"/> was refused.</summary>
public enum SendRefusal
{
    /// <summary>
    /// <c>lan.tcp.send-queue-limit</c> packets, or <c>lan.tcp.send-queue-bytes</c> bytes with this one, are already waiting:
    /// slow down and retry. A peer refused like this with no write completing for <c>lan.tcp.slow-consumer-grace</c> is dropped.
    /// </summary>
    QueueFull,

    /// <summary>The connection is closing or closed.</summary>
    Closed,

    /// <summary>The packet exceeds <c>lan.protocol</c>'s limits and would be refused by every peer.</summary>
    TooLarge,
}

/// <summary>Told to the sender of a <see cref="Send"/> that was not queued.</summary>
public sealed record SendRefused(Packet Packet, SendRefusal Reason);

/// <summary>Who the peer at the other end is, as far as this side knows.</summary>
/// <param name="Id">The peer's node id from its HELLO, or a local id for an anonymous peer.</param>
/// <param name="Name">
/// The peer's node name from its HELLO (or a server's WELCOME); for an anonymous inbound peer the local name the logs
/// also use (<c>anon-1</c>, the same as <paramref name="Id"/>); empty for a server that has not yet welcomed us.
/// </param>
/// <param name="EndPoint">The peer's address and port.</param>
/// <param name="Inbound">True when the peer connected to us (we are the server of this connection).</param>
public sealed record PeerInfo(string Id, string Name, IPEndPoint EndPoint, bool Inbound);

/// <summary>
/// The connection is established; <paramref name="Connection"/> takes <see cref="Send"/>, <see cref="Close"/>, <see cref="Abort"/>.
/// The first event of a connection: then <see cref="Identified"/>, <see cref="Received"/> per packet, and <see cref="Disconnected"/> last.
/// </summary>
public sealed record Connected(IActorRef Connection, PeerInfo Peer);

/// <summary>The peer said who it is in its HELLO and was welcomed; <see cref="PeerInfo.Id"/> and <see cref="PeerInfo.Name"/> are now its own.</summary>
public sealed record Identified(IActorRef Connection, PeerInfo Peer);

/// <summary>A packet arrived from the peer.</summary>
public sealed record Received(IActorRef Connection, Packet Packet);

/// <summary>
/// Published on the system's event stream when a connection is established (after TLS and its checks), for observers
/// such as a node's web page; the connection's handler hears <see cref="Connected"/>.
/// </summary>
/// <param name="Connection">The connection actor.</param>
/// <param name="Peer">Who the peer is.</param>
public sealed record ConnectionOpened(IActorRef Connection, PeerInfo Peer);

/// <summary>Published on the system's event stream when an established connection has ended; its handler hears <see cref="Disconnected"/>.</summary>
/// <param name="Connection">The connection actor.</param>
/// <param name="Peer">Who the peer was.</param>
/// <param name="Reason">Why it ended.</param>
/// <param name="Detail">What happened, for people; it may hold text the peer chose.</param>
public sealed record ConnectionEnded(IActorRef Connection, PeerInfo Peer, DisconnectReason Reason, string Detail);

/// <summary>
/// Packets that arrived from the peer in one read, in order: told instead of one <see cref="Received"/> per packet when the
/// node was started with batch delivery. Never empty; the list belongs to the handler and is not changed afterwards.
/// </summary>
public sealed record ReceivedBatch(IActorRef Connection, IReadOnlyList<Packet> Packets);

/// <summary>An outbound connection could not be made (refused, unreachable, timed out); the connector tries again after its back-off.</summary>
/// <param name="Remote">Where it tried to connect.</param>
/// <param name="Error">The socket's error, for people.</param>
public sealed record ConnectAttemptFailed(IPEndPoint Remote, string Error);

/// <summary>The connection has ended, told exactly once; a <c>Terminated</c> for the connection follows.</summary>
/// <param name="Connection">The connection actor, now stopped.</param>
/// <param name="Peer">Who was at the other end.</param>
/// <param name="Reason">Why it ended.</param>
/// <param name="Detail">What happened, for logs: the protocol error, the peer's DISCONNECT reason, the socket error.</param>
/// <remarks>Told to a handler that has stopped already (it stopped with its node), it is not reported as a dead letter.</remarks>
public sealed record Disconnected(IActorRef Connection, PeerInfo Peer, DisconnectReason Reason, string Detail) : IDeadLetterSuppression;

/// <summary>How a connection ended. The same event carries the same reason on both sides where both can know it.</summary>
public enum DisconnectReason
{
    /// <summary>The client asked to leave: it sent <c>DISCONNECT</c> (or this side, the client, closed).</summary>
    Requested,

    /// <summary>The peer vanished without <c>DISCONNECT</c>: a reset, or the end of the stream on the server's side.</summary>
    Dropped,

    /// <summary>The server closed the connection (with or without <c>DISCONNECT</c>).</summary>
    ServerClosed,

    /// <summary>The peer sent bytes that break the protocol; <see cref="Disconnected.Detail"/> names the reason code.</summary>
    ProtocolError,

    /// <summary>Nothing arrived for <c>lan.tcp.heartbeat-timeout</c>, not even a <c>PONG</c>: a half-open link or a hung peer.</summary>
    HeartbeatTimeout,

    /// <summary>The peer started a frame and did not finish it within <c>lan.tcp.frame-timeout</c> (slowloris).</summary>
    FrameTimeout,

    /// <summary>The server removed this peer with <c>Kick</c>.</summary>
    Kicked,

    /// <summary>The handshake failed: another APP, or no HELLO where <c>lan.tcp.require-hello = on</c>.</summary>
    Rejected,

    /// <summary>This side reset the connection with <see cref="Abort"/>.</summary>
    Aborted,

    /// <summary>The node is stopping.</summary>
    Shutdown,

    /// <summary>The handler kept throwing: past <c>lan.handler.max-restarts</c> within <c>lan.handler.restart-window</c> it was stopped, and its connections with it.</summary>
    HandlerFailed,

    /// <summary>
    /// The peer did not read what was sent to it: sends were refused as <see cref="SendRefusal.QueueFull"/> and no write
    /// completed for <c>lan.tcp.slow-consumer-grace</c>.
    /// </summary>
    SlowConsumer,

    /// <summary>
    /// The peer proved (in the TLS handshake) an ID this node does not trust: not in the trust store under
    /// <c>lan.security.trust = pinned</c>. <see cref="Disconnected.Detail"/> names the ID and how to trust it.
    /// </summary>
    UntrustedPeer,

    /// <summary>
    /// The peer proved another ID than the one expected (the one discovery announced, the user named, or its name was
    /// pinned to), or said one in its HELLO that it did not prove: a man in the middle, a forged announcement, or a node
    /// with a new key. <see cref="Disconnected.Detail"/> carries both fingerprints.
    /// </summary>
    IdentityMismatch,
}

// Between a connection and the node that owns it (its listener or connector), not for handlers.

/// <summary>Asks a connection for its <see cref="PeerStats"/>.</summary>
internal sealed record GetPeerStats
{
    public static GetPeerStats Instance { get; } = new();
}

/// <summary>
/// Tells a connection to close with a reason of the node's choosing (kick, shutdown); told to every connection when the
/// node stops, so one that ended meanwhile is no news, not a dead letter.
/// </summary>
internal sealed record CloseAs(DisconnectReason Reason, string Detail) : IDeadLetterSuppression;

/// <summary>A connection tells its parent who the peer said it is in its HELLO.</summary>
internal sealed record PeerIdentified(PeerInfo Peer);
