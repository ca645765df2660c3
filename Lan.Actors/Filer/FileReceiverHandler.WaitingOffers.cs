using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Filer;

/// <summary>
/// Told to <see cref="FileReceiverOptions.Decider"/> for each offer that passed the receiver's checks; the offer
/// waits (its sender too) until the decider answers <see cref="AcceptOffer"/> or <see cref="RejectOffer"/> with the
/// same <paramref name="Ticket"/>, or <see cref="FileReceiverOptions.DecisionTimeout"/> passes.
/// </summary>
/// <param name="Ticket">Names this offer in the answer; unique within the receiver.</param>
/// <param name="Name">The file name as offered (already checked to be safe).</param>
/// <param name="Size">The file's size in bytes.</param>
/// <param name="Peer">Who offers it; null when the receiver was never told the connection's <see cref="Connected"/>.</param>
public sealed record OfferReceived(long Ticket, string Name, long Size, PeerInfo? Peer);

/// <summary>The decider's yes to the offer <paramref name="Ticket"/>: the receiver starts it (or resumes it).</summary>
public sealed record AcceptOffer(long Ticket);

/// <summary>The decider's no to the offer <paramref name="Ticket"/>; <paramref name="Reason"/> goes to the sender in <c>FILE_REJECT</c>.</summary>
public sealed record RejectOffer(long Ticket, string Reason = "declined by the receiver");

/// <summary>Told to the decider when an offer it was asked about is gone before its answer: the connection ended, or no answer came in time.</summary>
public sealed record OfferWithdrawn(long Ticket, string Reason);

/// <summary>Offers that wait: for the decider (<c>lan-node receive --accept ask</c>), or for their hash.</summary>
public sealed partial class FileReceiverHandler
{
    private readonly Dictionary<long, CheckedOffer> _pending = [];
    private readonly Dictionary<(IActorRef Connection, string Id), CheckedOffer> _awaitingHash = [];
    private long _lastTicket;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    private void ReceiveDecisions()
    {
        Receive<AcceptOffer>(accept => Decided(accept.Ticket, null));
        Receive<RejectOffer>(reject => Decided(reject.Ticket, string.IsNullOrWhiteSpace(reject.Reason) ? "declined by the receiver" : reject.Reason));
        Receive<DecisionTimedOut>(timedOut =>
        {
            if (_pending.Remove(timedOut.Ticket, out var offer))
            {
                var reason = $"no decision within {_options.DecisionTimeout.TotalSeconds:0.#} s";
                _options.Decider?.Tell(new OfferWithdrawn(timedOut.Ticket, reason));
                Reject(offer.Key, offer.Name, reason);
            }
        });
    }

    private bool IsPending((IActorRef Connection, string Id) key) => _pending.Values.Any(offer => offer.Key == key);

    private void Ask(CheckedOffer offer, IActorRef decider)
    {
        var ticket = ++_lastTicket;
        _pending[ticket] = offer;
        Timers.StartSingleTimer(ticket, new DecisionTimedOut(ticket), _options.DecisionTimeout);
        decider.Tell(new OfferReceived(ticket, offer.Safe, offer.Size, _peers.GetValueOrDefault(offer.Key.Connection)));
    }

    private void Decided(long ticket, string? rejection)
    {
        if (!_pending.Remove(ticket, out var offer))
        {
            // Withdrawn already (its connection ended, or the time ran out), or never asked.
            return;
        }

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

    private void WithdrawOffersOf(IActorRef connection, string reason)
    {
        foreach (var (ticket, _) in _pending.Where(pending => pending.Value.Key.Connection.Equals(connection)).ToList())
        {
            _pending.Remove(ticket);
            Timers.Cancel(ticket);
            _options.Decider?.Tell(new OfferWithdrawn(ticket, reason));
        }
    }

    /// <summary>The packet an offer parked for its hash was waiting for: a <c>FILE_HASH</c> starts it, a cancel drops it.</summary>
    private void AwaitedHash(CheckedOffer offer, Packet packet)
    {
        var sha256 = packet.TryGet<string>(FilerPackets.Sha256Field, out var given) ? given.ToLowerInvariant() : "";
        if (packet.Type == FilerPackets.Hash && IsSha256(sha256))
        {
            Start(offer with { Sha256 = sha256 });
        }
        else if (packet.Type != FilerPackets.Cancel)
        {
            Reject(offer.Key, offer.Name, $"expected FILE_HASH with SHA256 as 64 hex digits after the offer, got {packet.Type}");
        }
    }

    private sealed record DecisionTimedOut(long Ticket);
}
