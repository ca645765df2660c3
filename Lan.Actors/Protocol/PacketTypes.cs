namespace Lan.Actors.Protocol;

/// <summary>
/// The packet types the protocol reserves. Every other <c>TYPE</c> matching <c>[A-Z0-9_]{1,64}</c> belongs to the application.
/// </summary>
public static class PacketTypes
{
    /// <summary>The protocol version nodes announce in <c>VERSION</c>.</summary>
    public const int ProtocolVersion = 1;

    /// <summary>UDP: a client asks who is there (<c>ID</c>, optional <c>NAME</c>, <c>APP</c>).</summary>
    public const string ClientHello = "CLIENT_HELLO";

    /// <summary>UDP: a server answers or announces itself (<c>ID</c>, <c>NAME</c>, <c>APP</c>, <c>PORT</c>, <c>VERSION</c>, optional <c>META</c>).</summary>
    public const string ServerHello = "SERVER_HELLO";

    /// <summary>UDP: a server stops cleanly (<c>ID</c>).</summary>
    public const string ServerBye = "SERVER_BYE";

    /// <summary>TCP handshake: the connecting side introduces itself (<c>ID</c>, <c>NAME</c>, <c>APP</c>, <c>VERSION</c>, optional <c>AUTH</c>).</summary>
    public const string Hello = "HELLO";

    /// <summary>TCP handshake: the accepting side agrees (<c>ID</c>, <c>NAME</c>, <c>VERSION</c>).</summary>
    public const string Welcome = "WELCOME";

    /// <summary>TCP handshake: the accepting side refuses (<c>REASON</c>) and closes.</summary>
    public const string Reject = "REJECT";

    /// <summary>Heartbeat request; no fields.</summary>
    public const string Ping = "PING";

    /// <summary>Heartbeat answer; no fields.</summary>
    public const string Pong = "PONG";

    /// <summary>The sender closes the connection (optional <c>REASON</c>).</summary>
    public const string Disconnect = "DISCONNECT";

    /// <summary>A line of text (<c>TEXT</c>).</summary>
    public const string Message = "MESSAGE";

    /// <summary>Every reserved type, in the order docs/PROTOCOL.md lists them.</summary>
    public static IReadOnlyList<string> Reserved { get; } =
        [ClientHello, ServerHello, ServerBye, Hello, Welcome, Reject, Ping, Pong, Disconnect, Message];

    /// <summary>True when <paramref name="type"/> is one of the reserved types.</summary>
    public static bool IsReserved(string type) => type switch
    {
        ClientHello or ServerHello or ServerBye or Hello or Welcome or Reject or Ping or Pong or Disconnect or Message => true,
        _ => false,
    };

    /// <summary>True when <paramref name="type"/> matches <c>[A-Z0-9_]{1,64}</c>.</summary>
    public static bool IsValid(string? type) => type is not null && PacketTypeName.IsValid(type);
}
