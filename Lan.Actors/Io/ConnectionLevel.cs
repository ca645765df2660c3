using Lan.Actors.Protocol;

namespace Lan.Actors.Io;

/// <summary>The packets a connection may answer or act on itself, so they never take batch delivery's short cuts.</summary>
internal static class ConnectionLevel
{
    /// <summary>True for PING, PONG, DISCONNECT and the handshake's HELLO, WELCOME and REJECT.</summary>
    public static bool Is(Packet packet) =>
        packet.Type is PacketTypes.Ping or PacketTypes.Pong or PacketTypes.Disconnect or PacketTypes.Hello or PacketTypes.Welcome or PacketTypes.Reject;
}
