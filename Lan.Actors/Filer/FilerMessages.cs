using Lan.Actors.Io;

namespace Lan.Actors.Filer;

// The filer's conversation, as Akka.IO keeps a family's messages in one file: commands to a sender, and the
// protocol between a receiver and its decider (lan-node receive --accept ask). What they report is in FilerEvents.cs.

/// <summary>Asks a <see cref="FileSenderHandler"/> to offer the file at <paramref name="Path"/> to its peer.</summary>
public sealed record SendFile(string Path);

/// <summary>Asks a <see cref="FileSenderHandler"/> to cancel the transfer <paramref name="Id"/> (sends <c>FILE_CANCEL</c>).</summary>
public sealed record CancelTransfer(string Id, string Reason = "cancelled by the sender");

/// <summary>
/// Told to <see cref="FileReceiverOptions.Decider"/> for each offer that passed the receiver's checks; the offer
/// waits (its sender too) until the decider answers <see cref="AcceptOffer"/> or <see cref="RejectOffer"/> with the
/// same <paramref name="Ticket"/>, or <see cref="FileReceiverOptions.DecisionTimeout"/> passes.
/// </summary>
/// <param name="Ticket">Names this offer in the answer; unique within the receiver.</param>
/// <param name="Name">The name the file will be written under: the offered name, checked by <see cref="SafeFileName"/>.</param>
/// <param name="Size">The file's size in bytes.</param>
/// <param name="Peer">Who offers it; null when the receiver was never told the connection's <see cref="Connected"/>.</param>
public sealed record OfferReceived(long Ticket, string Name, long Size, PeerInfo? Peer);

/// <summary>The decider's yes to the offer <paramref name="Ticket"/>: the receiver starts it (or resumes it).</summary>
public sealed record AcceptOffer(long Ticket);

/// <summary>The decider's no to the offer <paramref name="Ticket"/>; <paramref name="Reason"/> goes to the sender in <c>FILE_REJECT</c>.</summary>
public sealed record RejectOffer(long Ticket, string Reason = "declined by the receiver");

/// <summary>Told to the decider when an offer it was asked about is gone before its answer: the connection ended, or no answer came in time.</summary>
public sealed record OfferWithdrawn(long Ticket, string Reason);
