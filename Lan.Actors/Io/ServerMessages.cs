using System.Net;
using Akka.Actor;
using Lan.Actors.Protocol;

namespace Lan.Actors.Io;

// Commands to a server node (or its listener) and their answers: the second seed's broadcast, send,
// multicast and close-client calls, as messages.

/// <summary>Sends <paramref name="Packet"/> to every connected peer but <paramref name="Except"/>; it is encoded once for all.</summary>
/// <param name="Packet">What to send.</param>
/// <param name="Except">A connection to leave out, typically the one the packet came from; null for none.</param>
public sealed record SendToAll(Packet Packet, IActorRef? Except = null);

/// <summary>Sends <paramref name="Packet"/> to the peer with id <paramref name="PeerId"/>; unknown ids are logged and dropped.</summary>
public sealed record SendTo(string PeerId, Packet Packet);

/// <summary>Sends <paramref name="Packet"/> to each listed peer.</summary>
public sealed record Multicast(IReadOnlyCollection<string> PeerIds, Packet Packet);

/// <summary>Closes the peer's connection (DISCONNECT, then close); the server's handler sees <see cref="DisconnectReason.Kicked"/>.</summary>
public sealed record Kick(string PeerId, string Reason = "kicked by the server");

/// <summary>Asks for the connected peers; answered with <see cref="Peers"/>.</summary>
public sealed record GetPeers
{
    /// <summary>The one instance.</summary>
    public static GetPeers Instance { get; } = new();
}

/// <summary>The connected peers, with their traffic counters.</summary>
public sealed record Peers(IReadOnlyList<PeerStats> Connected)
{
    /// <summary>Connections closed at once since the node started: past <c>lan.tcp.max-connections</c> or <c>lan.tcp.max-connections-per-address</c>.</summary>
    public long RefusedConnections { get; init; }
}

/// <summary>The listener is bound and accepting at <paramref name="LocalEndPoint"/> (with the OS's port when 0 was asked).</summary>
internal sealed record Bound(IPEndPoint LocalEndPoint);

/// <summary>The listener could not bind; it has stopped. <paramref name="Error"/> says why, for whoever started the node.</summary>
internal sealed record BindFailed(ListenerBindException Error);

/// <summary>Stops accepting and closes every connection with one reason (the node is stopping); answered by <see cref="AllClosed"/>.</summary>
internal sealed record CloseAll(DisconnectReason Reason, string Detail);

/// <summary>Every connection of a listener told to close has ended.</summary>
internal sealed record AllClosed
{
    public static AllClosed Instance { get; } = new();
}
