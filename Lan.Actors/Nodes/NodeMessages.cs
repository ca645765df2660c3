using System.Net;
using Akka.Event;
using Lan.Actors.Security;

namespace Lan.Actors.Nodes;

/// <summary>Tells a client node to connect to <paramref name="Server"/>, and to reconnect with back-off whenever the link is lost.</summary>
public sealed record ConnectTo(IPEndPoint Server)
{
    /// <summary>In TLS mode, the ID the server must prove; null to take any the trust policy allows.</summary>
    public NodeId? Expected { get; init; }
}

/// <summary>Tells a client node to close its connection to <paramref name="Server"/> (DISCONNECT, then close) and stop reconnecting.</summary>
public sealed record DisconnectFrom(IPEndPoint Server);

/// <summary>How a node gives connections to the user's handler.</summary>
public enum HandlerMode
{
    /// <summary>One handler actor serves every connection (a chat room, a lobby).</summary>
    Shared,

    /// <summary>Each connection gets its own handler actor, started with it and stopped after its <c>Disconnected</c> (a session).</summary>
    PerConnection,
}

/// <summary>Asks a node to stop gracefully: DISCONNECT to every peer, then stop. Used with Akka's <c>GracefulStop</c>.</summary>
// A stop that finds the node already stopped (killed by a spec, or stopped by its user) is no news: not a dead letter.
internal sealed record StopNode : IDeadLetterSuppression
{
    public static StopNode Instance { get; } = new();
}

/// <summary>A node's graceful stop waited its close time-out: what has not closed by now is stopped outright.</summary>
internal sealed record StopTimedOut
{
    public static StopTimedOut Instance { get; } = new();
}

/// <summary>Asks a server node for its listening address; answered once it is bound, or with a failure.</summary>
internal sealed record AwaitBinding
{
    public static AwaitBinding Instance { get; } = new();
}

/// <summary>
/// Stops a node the way a killed process ends: a server sends no SERVER_BYE and no DISCONNECT (its sockets
/// just close); a client resets its connections. For the test kit's KillServer and DropClient.
/// </summary>
internal sealed record KillNode
{
    public static KillNode Instance { get; } = new();
}
