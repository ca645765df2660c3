namespace Lan.Actors.Protocol;

/// <summary>Field names the protocol reserves. Reserved names are upper-case; applications may add any other field.</summary>
public static class PacketFields
{
    /// <summary>The packet type; every packet has it.</summary>
    public const string Type = "TYPE";

    /// <summary>Content length: how many raw bytes follow the frame.</summary>
    public const string ContentLength = "CL";

    /// <summary>A node's stable id.</summary>
    public const string Id = "ID";

    /// <summary>A node's human-readable name.</summary>
    public const string Name = "NAME";

    /// <summary>The application a node belongs to; nodes of other applications ignore it.</summary>
    public const string App = "APP";

    /// <summary>The protocol version (<see cref="PacketTypes.ProtocolVersion"/>).</summary>
    public const string Version = "VERSION";

    /// <summary>The TCP port a server listens on.</summary>
    public const string Port = "PORT";

    /// <summary>Free-form string metadata a server announces.</summary>
    public const string Meta = "META";

    /// <summary>Authentication data for the handshake; its form is up to the application.</summary>
    public const string Auth = "AUTH";

    /// <summary>Why a peer rejects or disconnects.</summary>
    public const string Reason = "REASON";

    /// <summary>The text of a MESSAGE.</summary>
    public const string Text = "TEXT";
}
