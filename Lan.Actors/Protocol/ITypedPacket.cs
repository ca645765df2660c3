using System.Text.Json.Serialization.Metadata;

namespace Lan.Actors.Protocol;

/// <summary>
/// Declares which <c>TYPE</c> a record travels as and which source-generated JSON metadata reads and writes it,
/// so <see cref="Packet.From{T}(T, ReadOnlyMemory{byte})"/> and <see cref="Packet.As{T}()"/> need no reflection and work under AOT.
/// </summary>
/// <example>
/// <code>
/// public sealed record ChatLine(string From, string Text) : ITypedPacket&lt;ChatLine&gt;
/// {
///     public static string PacketType =&gt; "CHAT_LINE";
///     public static JsonTypeInfo&lt;ChatLine&gt; JsonTypeInfo =&gt; ChatJson.Default.ChatLine;
/// }
///
/// [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseUpper)]
/// [JsonSerializable(typeof(ChatLine))]
/// internal sealed partial class ChatJson : JsonSerializerContext;
/// </code>
/// </example>
/// <typeparam name="TSelf">The record itself.</typeparam>
public interface ITypedPacket<TSelf>
    where TSelf : ITypedPacket<TSelf>
{
    /// <summary>The <c>TYPE</c> this record is sent as; must match <c>[A-Z0-9_]{1,64}</c>.</summary>
    static abstract string PacketType { get; }

    /// <summary>Source-generated metadata for the record's fields (everything except <c>TYPE</c> and <c>CL</c>).</summary>
    static abstract JsonTypeInfo<TSelf> JsonTypeInfo { get; }
}
