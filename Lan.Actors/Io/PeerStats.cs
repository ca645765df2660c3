namespace Lan.Actors.Io;

/// <summary>One connected peer as the server sees it, in <c>Peers</c>.</summary>
/// <param name="Peer">Who the peer is.</param>
/// <param name="ConnectedAt">When the connection was established (UTC).</param>
/// <param name="LastReceived">When the last bytes arrived from the peer (UTC).</param>
/// <param name="PacketsIn">Packets received, PING and PONG included.</param>
/// <param name="PacketsOut">Packets sent.</param>
/// <param name="BytesIn">Bytes received.</param>
/// <param name="BytesOut">Bytes sent.</param>
public sealed record PeerStats(
    PeerInfo Peer,
    DateTimeOffset ConnectedAt,
    DateTimeOffset LastReceived,
    long PacketsIn,
    long PacketsOut,
    long BytesIn,
    long BytesOut)
{
    /// <summary>Packets waiting in the connection's send queue.</summary>
    public int QueuedPackets { get; init; }

    /// <summary>Bytes waiting in the connection's send queue.</summary>
    public long QueuedBytes { get; init; }
}
