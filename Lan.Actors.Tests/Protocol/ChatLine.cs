using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

/// <summary>An application packet declared the way docs/PROTOCOL.md tells users to.</summary>
public sealed record ChatLine(string From, string Text) : ITypedPacket<ChatLine>
{
    public static string PacketType => "CHAT_LINE";

    public static JsonTypeInfo<ChatLine> JsonTypeInfo => ChatJson.Default.ChatLine;
}

/// <summary>A record the application cannot change, so it is mapped to a TYPE from outside.</summary>
public sealed record Score(string Player, int Points);

public sealed record Position(double X, double Y);

/// <summary>A record whose own field would clash with the packet's TYPE.</summary>
public sealed record Sneaky([property: JsonPropertyName("TYPE")] string Kind);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseUpper)]
[JsonSerializable(typeof(ChatLine))]
[JsonSerializable(typeof(Score))]
[JsonSerializable(typeof(Position))]
[JsonSerializable(typeof(Sneaky))]
[JsonSerializable(typeof(int[]))]
internal sealed partial class ChatJson : JsonSerializerContext;
