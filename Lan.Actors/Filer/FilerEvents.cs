namespace Lan.Actors.Filer;

/// <summary>Which side of a transfer an event comes from.</summary>
public enum TransferDirection
{
    /// <summary>This node sends the file.</summary>
    Sending,

    /// <summary>This node receives the file.</summary>
    Receiving,
}

/// <summary>Published on the event stream when a transfer was accepted and its bytes start to flow.</summary>
/// <param name="Id">The transfer's id (the offer's <c>ID</c>).</param>
/// <param name="Name">The file name as offered.</param>
/// <param name="From">Where the bytes start: zero, or the verified length of an earlier attempt being resumed.</param>
/// <param name="Size">The file's size in bytes.</param>
/// <param name="Direction">Which side this node is.</param>
public sealed record TransferStarted(string Id, string Name, long From, long Size, TransferDirection Direction);

/// <summary>Published on the event stream whenever the receiver acknowledged more bytes.</summary>
/// <param name="Id">The transfer's id.</param>
/// <param name="Name">The file name as offered.</param>
/// <param name="Bytes">Bytes written and acknowledged so far, a resumed start included.</param>
/// <param name="Size">The file's size in bytes.</param>
/// <param name="Direction">Which side this node is.</param>
public sealed record TransferProgress(string Id, string Name, long Bytes, long Size, TransferDirection Direction);

/// <summary>Published on the event stream when the receiver verified the SHA-256 and the file is in place.</summary>
/// <param name="Id">The transfer's id.</param>
/// <param name="Name">The file name as offered.</param>
/// <param name="Size">The file's size in bytes.</param>
/// <param name="Path">Where the file is: the sender's source, or the receiver's final (perhaps numbered) file.</param>
/// <param name="Direction">Which side this node is.</param>
public sealed record TransferCompleted(string Id, string Name, long Size, string Path, TransferDirection Direction);

/// <summary>Published on the event stream when a transfer ended without the file: refused, cancelled, cut or failed.</summary>
/// <param name="Id">The transfer's id.</param>
/// <param name="Name">The file name as offered.</param>
/// <param name="Reason">What happened, for people.</param>
/// <param name="Direction">Which side this node is.</param>
public sealed record TransferFailed(string Id, string Name, string Reason, TransferDirection Direction)
{
    /// <summary>
    /// The sender's source file, which this side will not send again (a program that made a copy to send can delete
    /// it now); empty on the receiving side, whose <c>.part</c> stays for a resume.
    /// </summary>
    public string Path { get; init; } = "";
}

/// <summary>
/// Published on the event stream by the sending side when its connection was lost mid-transfer: the file is not
/// failed, it waits at the head of the handler's queue and is offered again (with its hash) once a connection is
/// back, and the receiver resumes it from the length it verified. The receiving side reports a cut as
/// <see cref="TransferFailed"/>, keeping the <c>.part</c> for that resume.
/// </summary>
/// <param name="Id">The interrupted transfer's id; the resumed one gets a new id.</param>
/// <param name="Name">The file name as offered.</param>
/// <param name="Bytes">Bytes the receiver had acknowledged when the connection was lost.</param>
/// <param name="Size">The file's size in bytes.</param>
/// <param name="Reason">How the connection ended, for people.</param>
public sealed record TransferInterrupted(string Id, string Name, long Bytes, long Size, string Reason);
