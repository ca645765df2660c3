using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Nodes;

/// <summary>Everything a node reads from <c>lan.*</c>, validated once at start-up.</summary>
/// <param name="Node">Who the node is.</param>
/// <param name="Tcp">The listener and connections.</param>
/// <param name="Protocol">The limits of the wire protocol.</param>
public sealed record LanNodeSettings(NodeSettings Node, LanTcpSettings Tcp, ProtocolSettings Protocol)
{
    /// <summary>Reads the settings from a resolved configuration, as <see cref="LanConfiguration.Load"/> returns.</summary>
    /// <exception cref="ConfigException">A setting is missing or out of range; the message says file:line: path.</exception>
    public static LanNodeSettings FromConfig(HoconConfig config) =>
        new(NodeSettings.FromConfig(config), LanTcpSettings.FromConfig(config), ProtocolSettings.FromConfig(config));
}
