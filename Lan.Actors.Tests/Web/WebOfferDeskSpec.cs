using System.Net;
using Akka.Actor;
using Lan.Actors.Filer;
using Lan.Actors.Io;
using Lan.Actors.TestKit;
using Lan.Actors.Web;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Web;

/// <summary>The receiver's page as its decider: how many offers wait there, and whose.</summary>
public sealed class WebOfferDeskSpec(ITestOutputHelper output) : LanTestKit(null, output)
{
    private static OfferReceived From(string host, long ticket) =>
        new(ticket, $"file-{ticket}.bin", 10, new PeerInfo($"id-{host}", host, new IPEndPoint(IPAddress.Parse(host), 40000 + (int)ticket), Inbound: true));

    [Fact]
    public async Task OneHostsFlood_TakesAtMost8Places_AndAnotherHostsOfferStillWaitsForAPerson()
    {
        // Before (checked on 8530ea1): one host (256 connections allowed, 4 offers each) took all 64 places, and every
        // other sender's offer was refused until the flood's offers timed out.
        var desk = LanWebPage.StartOfferDesk(Sys);
        var receiver = CreateTestProbe();
        for (var ticket = 1; ticket <= 20; ticket++)
        {
            desk.Tell(From("127.0.0.5", ticket), receiver.Ref);
        }

        desk.Tell(From("127.0.0.6", 21), receiver.Ref);
        var refused = receiver.ReceiveN(12).Cast<RejectOffer>().ToList();
        Assert.Equal(Enumerable.Range(9, 12).Select(ticket => (long)ticket), refused.Select(reject => reject.Ticket));
        Assert.All(refused, reject => Assert.Contains("8 offers from this address", reject.Reason, StringComparison.Ordinal));
        var waiting = (await desk.Ask<WebOfferDesk.Offers>(WebOfferDesk.GetOffers.Instance, RemainingOrDefault)).Waiting;
        Assert.Equal(9, waiting.Count);
        Assert.Contains(waiting, offer => offer.Ticket == 21);
    }
}
