using System.Text.Json.Serialization;

namespace Lan.Actors.Protocol;

/// <summary>
/// Source-generated JSON for the reserved packets. Upper snake case turns <c>Id</c> into <c>ID</c> and <c>Text</c> into <c>TEXT</c>,
/// the protocol's reserved field names; absent optional fields are left out rather than sent as null.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseUpper,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ClientHello))]
[JsonSerializable(typeof(ServerHello))]
[JsonSerializable(typeof(ServerBye))]
[JsonSerializable(typeof(Hello))]
[JsonSerializable(typeof(Welcome))]
[JsonSerializable(typeof(Reject))]
[JsonSerializable(typeof(Ping))]
[JsonSerializable(typeof(Pong))]
[JsonSerializable(typeof(Disconnect))]
[JsonSerializable(typeof(TextMessage))]
internal sealed partial class ReservedPacketJsonContext : JsonSerializerContext;
