namespace Lan.Actors.Discovery;

/// <summary>How clients find servers (<c>lan.discovery.mode</c>).</summary>
public enum DiscoveryMode
{
    /// <summary>Everyone uses one well-known UDP port; a client broadcasts one CLIENT_HELLO.</summary>
    Broadcast,

    /// <summary>Seed-compatible: servers bind a random port in a range, clients sweep the range.</summary>
    Sweep,
}
