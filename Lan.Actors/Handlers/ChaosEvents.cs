using Lan.Actors.Io;

namespace Lan.Actors.Handlers;

/// <summary>What a <see cref="ChaosClientHandler"/> did to end a connection.</summary>
public enum ChaosClientAction
{
    /// <summary>Nothing: the connection ended from the other side (the server closed it) or the node stopped.</summary>
    None,

    /// <summary>It sent its messages and then <c>DISCONNECT</c>.</summary>
    SaidGoodbye,

    /// <summary>It vanished: a reset, without <c>DISCONNECT</c>.</summary>
    Vanished,
}

/// <summary>Published on the event stream when a connection of a <see cref="ChaosClientHandler"/> ends.</summary>
/// <param name="Client">The handler's <see cref="ChaosClientOptions.Name"/>.</param>
/// <param name="Session">1 for the first connection, 2 for the first reconnection, and so on.</param>
/// <param name="Action">What the client itself did.</param>
/// <param name="Reason">The reason its connection reported.</param>
/// <param name="MessagesSent">The <c>MESSAGE</c>s it sent on this connection.</param>
public sealed record ChaosSessionEnded(string Client, int Session, ChaosClientAction Action, DisconnectReason Reason, int MessagesSent);

/// <summary>Published on the event stream when a connection to a <see cref="ChaosServerHandler"/> ends.</summary>
/// <param name="Peer">The client's node name from its HELLO, or its peer id when it sent none.</param>
/// <param name="Reason">The reason the server's side of the connection reported.</param>
/// <param name="ClosedByServer">True when the handler itself closed the connection.</param>
/// <param name="MessagesReceived">The <c>MESSAGE</c>s that arrived on this connection.</param>
/// <param name="Identified">False when the client never said HELLO: it gave up while still connecting.</param>
public sealed record ChaosConnectionEnded(string Peer, DisconnectReason Reason, bool ClosedByServer, int MessagesReceived, bool Identified = true);
