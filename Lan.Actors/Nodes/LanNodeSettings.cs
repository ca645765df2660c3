using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Lan.Actors.Discovery;
using Lan.Actors.Security;

namespace Lan.Actors.Nodes;

/// <summary>Everything a node reads from <c>lan.*</c>, validated once at start-up.</summary>
/// <param name="Node">Who the node is.</param>
/// <param name="Tcp">The listener and connections.</param>
/// <param name="Protocol">The limits of the wire protocol.</param>
/// <param name="Discovery">How servers are announced and found over UDP.</param>
/// <param name="AutoConnect">Which discovered server a client node connects to by itself: none, the first, or one by name.</param>
public sealed record LanNodeSettings(NodeSettings Node, LanTcpSettings Tcp, ProtocolSettings Protocol, DiscoverySettings Discovery, AutoConnect AutoConnect)
{
    /// <summary>What the node does when its handler throws (<c>lan.handler</c>).</summary>
    public HandlerSettings Handler { get; init; } = HandlerSettings.Default;

    /// <summary>Who may talk to the node, and how (<c>lan.security</c>).</summary>
    public SecuritySettings Security { get; init; } = SecuritySettings.Default;

    /// <summary>
    /// These settings for one node. In open mode: a fresh <see cref="NodeSettings.Id"/> unless <c>lan.node.id</c> names one.
    /// In TLS mode: the node's identity loaded (or created) and its ID, the certificate's fingerprint, as the node's id.
    /// </summary>
    /// <exception cref="IdentityException">The identity cannot be read or created, or <c>lan.node.id</c> names another ID.</exception>
    internal LanNodeSettings ForOneNode()
    {
        if (Security.Mode == SecurityMode.Open)
        {
            return Node.IdGenerated ? this with { Node = Node.ForOneNode() } : this;
        }

        var security = Security.WithIdentityOf(Node.Name);
        var id = security.Identity!.Id.ToString();
        if (!Node.IdGenerated && Security.Identity is null && !string.Equals(Node.Id, id, StringComparison.Ordinal))
        {
            throw new IdentityException(
                $"lan.node.id = \"{Node.Id}\" is set, but in tls mode a node's ID is its certificate's fingerprint, {id}; remove lan.node.id (or set lan.security.mode = open)");
        }

        return this with { Node = Node with { Id = id }, Security = security };
    }

    /// <summary>What each connection of the node needs for TLS; null in open mode (or before <see cref="ForOneNode"/>).</summary>
    internal ConnectionSecurity? ConnectionSecurity() =>
        Security is { Mode: SecurityMode.Tls, Identity: { } identity, TrustStore: { } store }
            ? new ConnectionSecurity(new PeerVerifier(identity, store, Security.Trust), Security.HandshakeTimeout)
            : null;

    /// <summary>Reads the settings from a resolved configuration, as <see cref="LanConfiguration.Load(string?)"/> returns.</summary>
    /// <exception cref="ConfigException">A setting is missing or out of range; the message says file:line: path.</exception>
    public static LanNodeSettings FromConfig(HoconConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new(
            NodeSettings.FromConfig(config),
            LanTcpSettings.FromConfig(config),
            ProtocolSettings.FromConfig(config),
            DiscoverySettings.FromConfig(config),
            AutoConnect.FromConfig(config))
        {
            Handler = HandlerSettings.FromConfig(config),
            Security = SecuritySettings.FromConfig(config),
        };
    }
}

/// <summary><c>lan.client.auto-connect</c>: <c>none</c>, <c>first</c>, or the name of the server to connect to.</summary>
/// <param name="Enabled">False for <c>none</c>.</param>
/// <param name="ServerName">The server's node name; null for the first server found.</param>
public sealed record AutoConnect(bool Enabled, string? ServerName)
{
    /// <summary>The path of the setting.</summary>
    public const string Path = "lan.client.auto-connect";

    /// <summary>
    /// True when <paramref name="server"/> is one to connect to: any server for <c>first</c>; for a name, the server of that
    /// name or any server of the group of that name (<see cref="MetaKeys.Group"/>, e.g. the nodes of a cluster).
    /// </summary>
    public bool Wants(ServerInfo server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return Enabled && (ServerName is null
            || string.Equals(ServerName, server.Name, StringComparison.Ordinal)
            || (server.Meta.TryGetValue(MetaKeys.Group, out var group) && string.Equals(ServerName, group, StringComparison.Ordinal)));
    }

    /// <summary>Reads <c>lan.client.auto-connect</c>.</summary>
    /// <exception cref="ConfigException">The value is empty.</exception>
    public static AutoConnect FromConfig(HoconConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var text = config.GetString(Path);
        return text switch
        {
            "none" => new AutoConnect(false, null),
            "first" => new AutoConnect(true, null),
            "" => throw new ConfigException(config.GetValue(Path)?.Origin, Path, "expected none, first or a server's name, got \"\""),
            _ => new AutoConnect(true, text),
        };
    }
}
