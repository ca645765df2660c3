using System.Text.Json.Serialization.Metadata;

namespace Lan.Actors.Protocol;

/// <summary>CLIENT_HELLO (UDP): a client asks which servers are there; servers of another <paramref name="App"/> stay silent.</summary>
/// <param name="Id">The client's node id; null from the first seed's clients, which send only <c>{"TYPE":"CLIENT_HELLO"}</c>.</param>
/// <param name="Name">The client's display name.</param>
/// <param name="App">The application the client looks for; null asks every server.</param>
public sealed record ClientHello(string? Id, string? Name = null, string? App = null) : ITypedPacket<ClientHello>
{
    /// <inheritdoc/>
    public static string PacketType => PacketTypes.ClientHello;

    /// <inheritdoc/>
    public static JsonTypeInfo<ClientHello> JsonTypeInfo => ReservedPacketJsonContext.Default.ClientHello;
}

/// <summary>SERVER_HELLO (UDP): a server answers a CLIENT_HELLO, or announces itself periodically.</summary>
/// <param name="Id">The server's node id.</param>
/// <param name="Name">The server's display name.</param>
/// <param name="App">The application the server runs.</param>
/// <param name="Port">The TCP port the server accepts connections on.</param>
/// <param name="Version">The protocol version the server speaks.</param>
/// <param name="Meta">Free-form metadata, e.g. a room's player count.</param>
/// <param name="Instance">A fresh id every time the server starts, so a client can tell a restart from an update.</param>
public sealed record ServerHello(
    string Id,
    string Name,
    string App,
    int Port,
    int Version = PacketTypes.ProtocolVersion,
    IReadOnlyDictionary<string, string>? Meta = null,
    string? Instance = null) : ITypedPacket<ServerHello>
{
    /// <summary>In TLS mode: the server's certificate (DER, base64), whose SHA-256 is <see cref="Id"/> and whose key made <see cref="Sig"/>.</summary>
    public string? Cert { get; init; }

    /// <summary>In TLS mode: when it was sent, in milliseconds since 1970 (UTC), so a replayed copy is refused.</summary>
    public long? Ts { get; init; }

    /// <summary>In TLS mode: the ECDSA P-256 signature (IEEE P1363, base64) over every other field.</summary>
    public string? Sig { get; init; }

    /// <inheritdoc/>
    public static string PacketType => PacketTypes.ServerHello;

    /// <inheritdoc/>
    public static JsonTypeInfo<ServerHello> JsonTypeInfo => ReservedPacketJsonContext.Default.ServerHello;
}

/// <summary>SERVER_BYE (UDP): a server stops cleanly, so clients forget it at once instead of waiting for it to expire.</summary>
/// <param name="Id">The server's node id.</param>
public sealed record ServerBye(string Id) : ITypedPacket<ServerBye>
{
    /// <summary>In TLS mode: when it was sent, in milliseconds since 1970 (UTC).</summary>
    public long? Ts { get; init; }

    /// <summary>In TLS mode: the signature, by the key of the server's announced certificate, over the ID and <see cref="Ts"/>.</summary>
    public string? Sig { get; init; }

    /// <inheritdoc/>
    public static string PacketType => PacketTypes.ServerBye;

    /// <inheritdoc/>
    public static JsonTypeInfo<ServerBye> JsonTypeInfo => ReservedPacketJsonContext.Default.ServerBye;
}

/// <summary>HELLO (TCP handshake): the connecting node introduces itself.</summary>
/// <param name="Id">The connecting node's id.</param>
/// <param name="Name">Its display name.</param>
/// <param name="App">The application it runs; a server of another application rejects it.</param>
/// <param name="Version">The protocol version it speaks.</param>
/// <param name="Auth">Authentication data whose form the application decides, or null.</param>
public sealed record Hello(string Id, string Name, string App, int Version = PacketTypes.ProtocolVersion, string? Auth = null)
    : ITypedPacket<Hello>
{
    /// <inheritdoc/>
    public static string PacketType => PacketTypes.Hello;

    /// <inheritdoc/>
    public static JsonTypeInfo<Hello> JsonTypeInfo => ReservedPacketJsonContext.Default.Hello;
}

/// <summary>WELCOME (TCP handshake): the accepting node agrees and introduces itself.</summary>
/// <param name="Id">The accepting node's id.</param>
/// <param name="Name">Its display name.</param>
/// <param name="Version">The protocol version both sides will speak.</param>
public sealed record Welcome(string Id, string Name, int Version = PacketTypes.ProtocolVersion) : ITypedPacket<Welcome>
{
    /// <inheritdoc/>
    public static string PacketType => PacketTypes.Welcome;

    /// <inheritdoc/>
    public static JsonTypeInfo<Welcome> JsonTypeInfo => ReservedPacketJsonContext.Default.Welcome;
}

/// <summary>REJECT (TCP handshake): the accepting node refuses and closes the connection.</summary>
/// <param name="Reason">Why, in words the other side can show its user.</param>
public sealed record Reject(string Reason) : ITypedPacket<Reject>
{
    /// <inheritdoc/>
    public static string PacketType => PacketTypes.Reject;

    /// <inheritdoc/>
    public static JsonTypeInfo<Reject> JsonTypeInfo => ReservedPacketJsonContext.Default.Reject;
}

/// <summary>PING: a heartbeat; the peer answers PONG.</summary>
public sealed record Ping : ITypedPacket<Ping>
{
    /// <inheritdoc/>
    public static string PacketType => PacketTypes.Ping;

    /// <inheritdoc/>
    public static JsonTypeInfo<Ping> JsonTypeInfo => ReservedPacketJsonContext.Default.Ping;
}

/// <summary>PONG: the answer to a PING.</summary>
public sealed record Pong : ITypedPacket<Pong>
{
    /// <inheritdoc/>
    public static string PacketType => PacketTypes.Pong;

    /// <inheritdoc/>
    public static JsonTypeInfo<Pong> JsonTypeInfo => ReservedPacketJsonContext.Default.Pong;
}

/// <summary>DISCONNECT: the sender closes the connection on purpose.</summary>
/// <param name="Reason">Why, or null.</param>
public sealed record Disconnect(string? Reason = null) : ITypedPacket<Disconnect>
{
    /// <inheritdoc/>
    public static string PacketType => PacketTypes.Disconnect;

    /// <inheritdoc/>
    public static JsonTypeInfo<Disconnect> JsonTypeInfo => ReservedPacketJsonContext.Default.Disconnect;
}

/// <summary>MESSAGE: a line of text.</summary>
/// <param name="Text">The text.</param>
public sealed record TextMessage(string Text) : ITypedPacket<TextMessage>
{
    /// <inheritdoc/>
    public static string PacketType => PacketTypes.Message;

    /// <inheritdoc/>
    public static JsonTypeInfo<TextMessage> JsonTypeInfo => ReservedPacketJsonContext.Default.TextMessage;
}
