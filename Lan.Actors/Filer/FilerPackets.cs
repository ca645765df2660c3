using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Lan.Actors.Protocol;

namespace Lan.Actors.Filer;

/// <summary>The packet types of the filer's file transfer (the records below carry their fields); docs/PROTOCOL.md, section "Filer", tells the flow.</summary>
public static class FilerPackets
{
    /// <summary>Sender → receiver: {ID, NAME, SIZE, CHUNK, SHA256?}; SHA256 (lower-case hex) only when the sender knows it already.</summary>
    public const string Offer = "FILE_OFFER";

    /// <summary>Receiver → sender: {ID, FROM}, the offset the chunks start at (non-zero when resuming).</summary>
    public const string Accept = "FILE_ACCEPT";

    /// <summary>Receiver → sender: {ID, REASON}; the offer is refused and nothing was written.</summary>
    public const string Reject = "FILE_REJECT";

    /// <summary>Sender → receiver: {ID, SHA256}, the file's hash once the sender computed it, when the offer had none; before <see cref="Done"/>.</summary>
    public const string Hash = "FILE_HASH";

    /// <summary>Sender → receiver: {ID, OFFSET}, the bytes as the packet's content.</summary>
    public const string Chunk = "FILE_CHUNK";

    /// <summary>Receiver → sender: {ID, UPTO}, every byte before UPTO is written and flushed.</summary>
    public const string Ack = "FILE_ACK";

    /// <summary>Sender → receiver: {ID}, every chunk was sent; receiver → sender: {ID, OK, REASON?} after the SHA-256 check.</summary>
    public const string Done = "FILE_DONE";

    /// <summary>Either side: {ID, REASON}; the transfer ends here.</summary>
    public const string Cancel = "FILE_CANCEL";

    /// <summary>The field every filer packet carries: the transfer's id, chosen by the sender.</summary>
    internal const string IdField = "ID";

    /// <summary>True for the filer's packet types.</summary>
    public static bool IsFiler(string type) => type.StartsWith("FILE_", StringComparison.Ordinal);
}

/// <summary>FILE_OFFER: a file the sender would send; <paramref name="Sha256"/> (lower-case hex) only when the sender knows it already.</summary>
internal sealed record FileOffer(string Id, string Name, long Size, long Chunk, string? Sha256 = null) : ITypedPacket<FileOffer>
{
    public static string PacketType => FilerPackets.Offer;

    public static JsonTypeInfo<FileOffer> JsonTypeInfo => FilerJsonContext.Default.FileOffer;
}

/// <summary>FILE_ACCEPT: the offer is taken; the chunks start at <paramref name="From"/> (non-zero when resuming).</summary>
internal sealed record FileAccept(string Id, long From) : ITypedPacket<FileAccept>
{
    public static string PacketType => FilerPackets.Accept;

    public static JsonTypeInfo<FileAccept> JsonTypeInfo => FilerJsonContext.Default.FileAccept;
}

/// <summary>FILE_REJECT: the offer is refused and nothing was written.</summary>
internal sealed record FileReject(string Id, string Reason) : ITypedPacket<FileReject>
{
    public static string PacketType => FilerPackets.Reject;

    public static JsonTypeInfo<FileReject> JsonTypeInfo => FilerJsonContext.Default.FileReject;
}

/// <summary>FILE_HASH: the file's SHA-256, once the sender computed it, when the offer had none.</summary>
internal sealed record FileHash(string Id, string Sha256) : ITypedPacket<FileHash>
{
    public static string PacketType => FilerPackets.Hash;

    public static JsonTypeInfo<FileHash> JsonTypeInfo => FilerJsonContext.Default.FileHash;
}

/// <summary>FILE_CHUNK: the file's bytes from <paramref name="Offset"/>, as the packet's content.</summary>
internal sealed record FileChunk(string Id, long Offset) : ITypedPacket<FileChunk>
{
    public static string PacketType => FilerPackets.Chunk;

    public static JsonTypeInfo<FileChunk> JsonTypeInfo => FilerJsonContext.Default.FileChunk;
}

/// <summary>FILE_ACK: every byte before <paramref name="Upto"/> is written and flushed.</summary>
internal sealed record FileAck(string Id, long Upto) : ITypedPacket<FileAck>
{
    public static string PacketType => FilerPackets.Ack;

    public static JsonTypeInfo<FileAck> JsonTypeInfo => FilerJsonContext.Default.FileAck;
}

/// <summary>
/// FILE_DONE: from the sender, every chunk was sent (no <paramref name="Ok"/>); from the receiver, the verdict of the
/// SHA-256 check, with the <paramref name="Reason"/> when it failed.
/// </summary>
internal sealed record FileDone(string Id, bool? Ok = null, string? Reason = null) : ITypedPacket<FileDone>
{
    public static string PacketType => FilerPackets.Done;

    public static JsonTypeInfo<FileDone> JsonTypeInfo => FilerJsonContext.Default.FileDone;
}

/// <summary>FILE_CANCEL: either side ends the transfer here.</summary>
internal sealed record FileCancel(string Id, string? Reason = null) : ITypedPacket<FileCancel>
{
    public static string PacketType => FilerPackets.Cancel;

    public static JsonTypeInfo<FileCancel> JsonTypeInfo => FilerJsonContext.Default.FileCancel;
}

/// <summary>
/// Source-generated JSON for the filer's packets, with the protocol's upper-snake-case field names. A field the
/// record requires must be present and non-null (a FILE_OFFER without SIZE is refused, not read as SIZE 0).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseUpper,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(FileOffer))]
[JsonSerializable(typeof(FileAccept))]
[JsonSerializable(typeof(FileReject))]
[JsonSerializable(typeof(FileHash))]
[JsonSerializable(typeof(FileChunk))]
[JsonSerializable(typeof(FileAck))]
[JsonSerializable(typeof(FileDone))]
[JsonSerializable(typeof(FileCancel))]
internal sealed partial class FilerJsonContext : JsonSerializerContext;
