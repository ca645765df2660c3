using Akka.Actor;
using Lan.Actors.Filer;
using Lan.Actors.Protocol;

namespace Lan.Actors.Web;

/// <summary>
/// The page as a receiver's decider (<see cref="FileReceiverOptions.Decider"/>): offers wait here until a person accepts
/// or refuses them on the page (or the receiver withdraws them after its own time-out). At most <see cref="MaxWaiting"/>
/// wait at once, and at most <see cref="MaxWaitingPerAddress"/> from one IP address, so one host's flood leaves room
/// for the others; one more is refused at once.
/// </summary>
internal sealed class WebOfferDesk : ReceiveActor
{
    public const int MaxWaiting = 64;
    public const int MaxWaitingPerAddress = 8;
    private readonly Dictionary<long, (OfferReceived Offer, IActorRef Receiver)> _waiting = [];

    public WebOfferDesk()
    {
        Receive<OfferReceived>(offer =>
        {
            if (_waiting.Count >= MaxWaiting)
            {
                Sender.Tell(new RejectOffer(offer.Ticket, "too many offers are waiting for an answer on the receiver's page"));
                return;
            }

            if (offer.Peer is { } from && _waiting.Values.Count(waiting => waiting.Offer.Peer?.EndPoint.Address.Equals(from.EndPoint.Address) == true) >= MaxWaitingPerAddress)
            {
                Sender.Tell(new RejectOffer(offer.Ticket, $"{MaxWaitingPerAddress} offers from this address are waiting for an answer on the receiver's page already"));
                return;
            }

            _waiting[offer.Ticket] = (offer, Sender);
        });
        Receive<OfferWithdrawn>(withdrawn => _waiting.Remove(withdrawn.Ticket));
        Receive<Decide>(decide =>
        {
            if (_waiting.Remove(decide.Ticket, out var waiting))
            {
                waiting.Receiver.Tell(decide.Accept ? new AcceptOffer(decide.Ticket) : new RejectOffer(decide.Ticket, "refused on the receiver's page"));
            }

            Sender.Tell(waiting.Receiver is not null);
        });
        Receive<GetOffers>(_ => Sender.Tell(new Offers([.. _waiting.Values.OrderBy(w => w.Offer.Ticket).Select(w => new WebOfferView(
            w.Offer.Ticket, w.Offer.Name, w.Offer.Size, w.Offer.Peer is { } peer ? PeerText.ForDisplay(peer.Name.Length > 0 ? $"{peer.Name} ({peer.Id})" : peer.Id) : "?"))])));
    }

    internal sealed record Decide(long Ticket, bool Accept);

    internal sealed record GetOffers
    {
        public static GetOffers Instance { get; } = new();
    }

    internal sealed record Offers(IReadOnlyList<WebOfferView> Waiting);
}
