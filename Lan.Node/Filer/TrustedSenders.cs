using Akka.Actor;
using Lan.Actors.Filer;
using Lan.Actors.Protocol;
using Lan.Actors.Security;

namespace Lan.Node.Filer;

/// <summary>
/// The decider of <c>lan-node receive --accept trusted</c> (the default): an offer is accepted when the sender proved,
/// in its TLS handshake, an ID a person trusted on this machine (<c>lan-node trust add</c> or <c>pair</c>); a name
/// pinned on first use is not enough, for anyone can be first. Every other offer is refused, saying how to trust.
/// </summary>
internal sealed class TrustedSenders : ReceiveActor
{
    public TrustedSenders(TrustStore store)
    {
        Receive<OfferReceived>(offer =>
        {
            if (IsTrustedByAPerson(store, offer.Peer?.Id))
            {
                Sender.Tell(new AcceptOffer(offer.Ticket));
                return;
            }

            Sender.Tell(new RejectOffer(offer.Ticket, $"the receiver accepts files from trusted nodes only; on the receiver, run: lan-node trust add {offer.Peer?.Id}"));
        });
        Receive<OfferWithdrawn>(_ => { });
    }

    public static Props Props(TrustStore store) => Akka.Actor.Props.Create(() => new TrustedSenders(store));

    /// <summary>True when <paramref name="id"/> is a proven ID that was added or paired (not merely pinned on first use).</summary>
    public static bool IsTrustedByAPerson(TrustStore store, string? id) =>
        NodeId.TryParse(id, out var parsed, out _) && store.Find(parsed) is { Origin: TrustOrigin.Added or TrustOrigin.Paired };

    /// <summary>How a prompt names a sender: its verified short ID and alias beside the name it chose, never that name alone.</summary>
    public static string Describe(TrustStore? store, Lan.Actors.Io.PeerInfo? peer)
    {
        if (peer is null)
        {
            return "an unknown peer";
        }

        var chosen = peer.Name.Length > 0 ? PeerText.ForDisplay(peer.Name) : peer.EndPoint.ToString();
        if (store is null || !NodeId.TryParse(peer.Id, out var id, out _))
        {
            return $"{chosen} (not verified: open mode)";
        }

        return store.Find(id) is { } trusted
            ? $"{chosen} [{id.Short}, trusted as {PeerText.ForDisplay(trusted.Alias)}, {trusted.Origin}]"
            : $"{chosen} [{id.Short}, NOT trusted]";
    }
}
