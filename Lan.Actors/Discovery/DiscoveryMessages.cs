using System.Net;
using Lan.Actors.Io;
using Lan.Actors.Security;

namespace Lan.Actors.Discovery;

// What discovery publishes on the system's event stream, and the commands it takes.

/// <summary>A server as discovery knows it.</summary>
/// <param name="Id">The server's node id.</param>
/// <param name="Instance">Changes every time the server process starts.</param>
/// <param name="Name">The server's node name.</param>
/// <param name="App">The application it serves.</param>
/// <param name="Version">The protocol version it speaks.</param>
/// <param name="EndPoint">Where to connect: the address its datagrams came from, with the TCP port it announced.</param>
/// <param name="Meta">The user data it announces, e.g. the players in a room.</param>
public sealed record ServerInfo(string Id, string Instance, string Name, string App, int Version, IPEndPoint EndPoint, IReadOnlyDictionary<string, string> Meta)
{
    /// <summary>How it was last heard of: its own announcement (broadcast) or a registry's list.</summary>
    public ServerSource Source { get; init; } = ServerSource.Broadcast;
}

/// <summary>Where discovery heard of a server.</summary>
public enum ServerSource
{
    /// <summary>Its own UDP announcement or answer.</summary>
    Broadcast,

    /// <summary>A registry's list (<c>lan.discovery.registry</c>).</summary>
    Registry,
}

/// <summary>A server was heard of for the first time. Published on the event stream.</summary>
public sealed record ServerFound(ServerInfo Server);

/// <summary>A known server changed: new META, a new address, or a new INSTANCE (it restarted). Published on the event stream.</summary>
/// <param name="Server">The server as it is now.</param>
/// <param name="Restarted">True when its INSTANCE changed.</param>
public sealed record ServerUpdated(ServerInfo Server, bool Restarted);

/// <summary>Why a server is no longer listed.</summary>
public enum ServerLostReason
{
    /// <summary>It said SERVER_BYE: a clean stop.</summary>
    Bye,

    /// <summary>Nothing was heard from it for <c>lan.discovery.expire-after</c>: killed, unplugged, or out of reach.</summary>
    Expired,
}

/// <summary>A server is gone. Published on the event stream.</summary>
public sealed record ServerLost(ServerInfo Server, ServerLostReason Reason);

/// <summary>Tells a server node's discovery to announce new META at once (and from then on).</summary>
public sealed record SetMeta(IReadOnlyDictionary<string, string> Meta);

/// <summary>Asks a discovery actor for its counters; answered with <see cref="DiscoveryStats"/>.</summary>
public sealed record GetDiscoveryStats
{
    /// <summary>The one instance.</summary>
    public static GetDiscoveryStats Instance { get; } = new();
}

/// <summary>What a discovery actor has seen and sent.</summary>
/// <param name="DatagramsIn">Datagrams received.</param>
/// <param name="BytesIn">Bytes received.</param>
/// <param name="Malformed">Datagrams dropped because they were not valid packets (or too large).</param>
/// <param name="Ignored">Valid datagrams ignored: this node's own, another APP's, or of no interest to its role.</param>
/// <param name="DatagramsOut">Datagrams sent.</param>
/// <param name="BytesOut">Bytes sent.</param>
/// <param name="RepliesLimited">CLIENT_HELLOs left unanswered because a source, or all sources together, asked too often.</param>
public sealed record DiscoveryStats(long DatagramsIn, long BytesIn, long Malformed, long Ignored, long DatagramsOut, long BytesOut, long RepliesLimited)
{
    /// <summary>Servers heard or listed while the table held <c>lan.discovery.max-servers</c>, and so left out of it.</summary>
    public long ServersRefused { get; init; }

    /// <summary>TLS mode: announcements without a signature, dropped.</summary>
    public long Unsigned { get; init; }

    /// <summary>TLS mode: announcements whose certificate is not their ID's or whose signature fails, dropped.</summary>
    public long Forged { get; init; }

    /// <summary>TLS mode: announcements no newer than the last one of their ID, or outside the replay window, dropped.</summary>
    public long Replayed { get; init; }
}

/// <summary>What discovery needs in TLS mode: the key it signs with, and how far a signed time may be from its clock.</summary>
/// <param name="Identity">This node's identity.</param>
/// <param name="ReplayWindow"><c>lan.security.replay-window</c>.</param>
internal sealed record DiscoverySecurity(NodeIdentity Identity, TimeSpan ReplayWindow)
{
    /// <summary>TLS and trust for the connection to a registry.</summary>
    public ConnectionSecurity? Connection { get; init; }
}

/// <summary>
/// Tells a discovery actor to send no SERVER_BYE when it stops, as a crashed process sends none; answered
/// with <see cref="FellSilent"/>. The test kit's KillServer uses it.
/// </summary>
internal sealed record FallSilent
{
    public static FallSilent Instance { get; } = new();
}

/// <summary>
/// Tells a discovery actor that its node is stopping cleanly: it says SERVER_BYE at once (a server or peer) and its
/// registry link says DISCONNECT to the registry; answered with <see cref="LeftNetwork"/> once the link has closed,
/// so that the node stops only after its goodbyes have gone out.
/// </summary>
internal sealed record LeaveNetwork
{
    public static LeaveNetwork Instance { get; } = new();
}

/// <summary>Discovery has said its goodbyes (or had none to say); the node may stop it.</summary>
internal sealed record LeftNetwork
{
    public static LeftNetwork Instance { get; } = new();
}

/// <summary>The discovery actor will stop without a goodbye.</summary>
internal sealed record FellSilent
{
    public static FellSilent Instance { get; } = new();
}
