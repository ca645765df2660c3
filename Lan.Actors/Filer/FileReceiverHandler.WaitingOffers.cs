using Akka.Actor;
using Akka.Event;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Filer;

/// <summary>
/// Offers that wait: for the decider (<c>lan-node receive --accept ask</c>), or for their hash (an offer without one
/// over a resumable <c>.part</c>). Both kinds take the sender's <c>FILE_HASH</c> and <c>FILE_CANCEL</c> while they
/// wait, and neither waits forever.
/// </summary>
public sealed partial class FileReceiverHandler
{
    private void ReceiveDecisions()
    {
        Receive<AcceptOffer>(accept => Decided(accept.Ticket, null));
        Receive<RejectOffer>(reject => Decided(reject.Ticket, string.IsNullOrWhiteSpace(reject.Reason) ? "declined by the receiver" : reject.Reason));
        Receive<DecisionTimedOut>(timedOut =>
        {
            if (Withdraw(timedOut.Ticket, $"no decision within {_options.DecisionTimeout.TotalSeconds:0.#} s") is { } offer)
            {
                Reject(offer.Key, offer.Name, $"no decision within {_options.DecisionTimeout.TotalSeconds:0.#} s");
            }
        });
        Receive<HashWaitEnded>(ended =>
        {
            if (_awaitingHash.Remove(ended.Key, out var offer))
            {
                // No FILE_HASH came: the .part cannot be proven to be this file's, so the file starts again.
                _log.Warning("no FILE_HASH for {Name} within {Wait}; receiving it from the start", offer.Name, _options.DecisionTimeout);
                Start(offer, mayWaitForHash: false);
            }
        });
    }

    private bool IsWaiting((IActorRef Connection, string Id) key) => _ticketOf.ContainsKey(key) || _awaitingHash.ContainsKey(key);

    private void Ask(CheckedOffer offer, IActorRef decider)
    {
        var ticket = ++_lastTicket;
        _pending[ticket] = offer;
        _ticketOf[offer.Key] = ticket;
        Timers.StartSingleTimer(ticket, new DecisionTimedOut(ticket), _options.DecisionTimeout);
        decider.Tell(new OfferReceived(ticket, offer.Safe, offer.Size, _peers.GetValueOrDefault(offer.Key.Connection)));
    }

    private void Decided(long ticket, string? rejection)
    {
        if (!_pending.Remove(ticket, out var offer))
        {
            // Withdrawn already (its connection ended, its sender cancelled, or the time ran out), or never asked.
            return;
        }

        _ticketOf.Remove(offer.Key);
        Timers.Cancel(ticket);
        if (rejection is null)
        {
            Start(offer);
        }
        else
        {
            Reject(offer.Key, offer.Name, rejection);
        }
    }

    /// <summary>Parks an offer until its <c>FILE_HASH</c> tells whether the resumable <c>.part</c> is its own.</summary>
    private void AwaitHash(CheckedOffer offer)
    {
        _log.Info("{Name}: waiting for the sender's FILE_HASH before answering (a .part of it may be resumed)", offer.Name);
        _awaitingHash[offer.Key] = offer;
        Timers.StartSingleTimer(new HashWaitEnded(offer.Key), new HashWaitEnded(offer.Key), _options.DecisionTimeout);
    }

    /// <summary>Handles a packet for an offer that waits; false when no offer of that key waits.</summary>
    private bool ForWaitingOffer((IActorRef Connection, string Id) key, Packet packet)
    {
        var sha256 = packet.TryAs<FileHash>(out var hash) && OfferChecks.IsSha256(hash.Sha256) ? hash.Sha256.ToLowerInvariant() : null;
        if (_ticketOf.TryGetValue(key, out var ticket))
        {
            var offer = _pending[ticket];
            if (sha256 is not null && (offer.Sha256 is null || offer.Sha256 == sha256))
            {
                // Come before the answer (hashing is quicker than people): kept for when the answer is yes.
                _pending[ticket] = offer with { Sha256 = sha256 };
            }
            else if (packet.Type == FilerPackets.Cancel)
            {
                Withdraw(ticket, "cancelled by the sender");
            }
            else
            {
                var reason = packet.Type == FilerPackets.Hash
                    ? "FILE_HASH needs SHA256 as 64 hex digits, and the offer's when the offer had one"
                    : $"expected FILE_HASH or FILE_CANCEL before the answer, got {packet.Type}";
                Withdraw(ticket, reason);
                Reject(key, offer.Name, reason);
            }

            return true;
        }

        if (_awaitingHash.Remove(key, out var parked))
        {
            Timers.Cancel(new HashWaitEnded(key));
            if (sha256 is not null)
            {
                Start(parked with { Sha256 = sha256 });
            }
            else if (packet.Type != FilerPackets.Cancel)
            {
                Reject(key, parked.Name, $"expected FILE_HASH with SHA256 as 64 hex digits after the offer, got {packet.Type}");
            }

            return true;
        }

        return false;
    }

    /// <summary>Takes the offer of <paramref name="ticket"/> back from the decider; null when it no longer waits.</summary>
    private CheckedOffer? Withdraw(long ticket, string reason)
    {
        if (!_pending.Remove(ticket, out var offer))
        {
            return null;
        }

        _ticketOf.Remove(offer.Key);
        Timers.Cancel(ticket);
        _options.Decider?.Tell(new OfferWithdrawn(ticket, reason));
        return offer;
    }

    /// <summary>
    /// Drops every offer of <paramref name="connection"/> that waits (its connection is gone), or of every connection
    /// when null (the receiver stops: each sender is refused, so none waits for an answer that cannot come).
    /// </summary>
    private void ForgetWaitingOffers(IActorRef? connection, string reason)
    {
        var dropped = new List<CheckedOffer>();
        foreach (var (ticket, _) in _pending.Where(pending => connection is null || pending.Value.Key.Connection.Equals(connection)).ToList())
        {
            dropped.Add(Withdraw(ticket, reason)!);
        }

        foreach (var key in _awaitingHash.Keys.Where(key => connection is null || key.Connection.Equals(connection)).ToList())
        {
            _awaitingHash.Remove(key, out var parked);
            dropped.Add(parked!);
            Timers.Cancel(new HashWaitEnded(key));
        }

        if (connection is null)
        {
            dropped.ForEach(offer => Reject(offer.Key, offer.Name, reason));
        }
    }

    private sealed record DecisionTimedOut(long Ticket);

    private sealed record HashWaitEnded((IActorRef Connection, string Id) Key);
}
