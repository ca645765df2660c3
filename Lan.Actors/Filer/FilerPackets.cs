namespace Lan.Actors.Filer;

/// <summary>The packet types and field names of the filer's file transfer; docs/PROTOCOL.md, section "Filer", tells the flow.</summary>
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

    internal const string IdField = "ID";
    internal const string NameField = "NAME";
    internal const string SizeField = "SIZE";
    internal const string Sha256Field = "SHA256";
    internal const string ChunkField = "CHUNK";
    internal const string FromField = "FROM";
    internal const string ReasonField = "REASON";
    internal const string OffsetField = "OFFSET";
    internal const string UptoField = "UPTO";
    internal const string OkField = "OK";

    /// <summary>True for the filer's packet types.</summary>
    public static bool IsFiler(string type) => type.StartsWith("FILE_", StringComparison.Ordinal);
}
