using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Lan.Actors.Protocol;

namespace Lan.Actors.Discovery.Registry;

/// <summary>
/// REGISTER (TCP, node → registry): a server or peer node reports itself; sent on connect and every
/// <c>lan.discovery.announce-interval</c>, and at once when its META changes.
/// </summary>
/// <param name="Id">The node's id.</param>
/// <param name="Instance">A fresh id every time the node starts (the INSTANCE of its SERVER_HELLO).</param>
/// <param name="Name">The node's name.</param>
/// <param name="App">The application it serves.</param>
/// <param name="Port">The TCP port it accepts connections on.</param>
/// <param name="Version">The protocol version it speaks.</param>
/// <param name="Meta">Free-form metadata, as in SERVER_HELLO.</param>
/// <param name="Host">Where to reach it; null for the address the registry sees the connection come from.</param>
internal sealed record RegisterNode(
    string Id,
    string Instance,
    string Name,
    string App,
    int Port,
    int Version = PacketTypes.ProtocolVersion,
    IReadOnlyDictionary<string, string>? Meta = null,
    string? Host = null) : ITypedPacket<RegisterNode>
{
    /// <inheritdoc/>
    public static string PacketType => "REGISTER";

    /// <inheritdoc/>
    public static JsonTypeInfo<RegisterNode> JsonTypeInfo => RegistryJsonContext.Default.RegisterNode;
}

/// <summary>One node in a <see cref="RegistryList"/>: its REGISTER with the address it is reached at.</summary>
/// <param name="Id">The node's id.</param>
/// <param name="Instance">Its INSTANCE.</param>
/// <param name="Name">Its name.</param>
/// <param name="App">Its application.</param>
/// <param name="Host">Its IP address: the HOST it registered, or the address its connection came from.</param>
/// <param name="Port">Its TCP port.</param>
/// <param name="Version">Its protocol version.</param>
/// <param name="Meta">Its metadata.</param>
internal sealed record RegistryEntry(
    string Id,
    string Instance,
    string Name,
    string App,
    string Host,
    int Port,
    int Version = PacketTypes.ProtocolVersion,
    IReadOnlyDictionary<string, string>? Meta = null);

/// <summary>
/// REGISTRY_LIST (TCP, registry → node): every node registered now, the whole list each time; sent on
/// connect and whenever the list changes. A node missing from it is gone.
/// </summary>
/// <param name="Servers">The registered nodes.</param>
internal sealed record RegistryList(IReadOnlyList<RegistryEntry> Servers) : ITypedPacket<RegistryList>
{
    /// <inheritdoc/>
    public static string PacketType => "REGISTRY_LIST";

    /// <inheritdoc/>
    public static JsonTypeInfo<RegistryList> JsonTypeInfo => RegistryJsonContext.Default.RegistryList;
}

/// <summary>Source-generated JSON for the registry's packets, with the protocol's upper-snake-case field names.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseUpper,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RegisterNode))]
[JsonSerializable(typeof(RegistryList))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
