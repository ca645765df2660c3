using System.Diagnostics;
using Akka.Actor;
using Lan.Actors.Filer;
using Lan.Actors.Protocol;
using Lan.Actors.Security;

namespace Lan.Node.Filer;

/// <summary>
/// The decider of <c>lan-node receive --accept ask</c>: it asks about one offer at a time on the output
/// (<c>accept NAME (SIZE bytes) from PEER? [y/N]</c>) and reads the answer from the input; <c>y</c> or <c>yes</c>
/// accepts, anything else declines. Offers that come while one is asked wait their turn. Once the input ends, every
/// offer is declined: there is nobody left to ask.
/// </summary>
internal sealed class OfferPrompt : ReceiveActor
{
    private readonly Queue<(OfferReceived Offer, IActorRef Receiver)> _waiting = new();
    private readonly TextReader _input;
    private readonly TextWriter _output;
    private readonly TimeSpan _staleWindow;
    private readonly TrustStore? _store;
    private long _shownAt;
    private (OfferReceived Offer, IActorRef Receiver)? _asked;
    private bool _reading;
    private bool _answerIsStale;
    private bool _inputEnded;

    /// <param name="input">Where the answers are read, a line each.</param>
    /// <param name="output">Where the questions go.</param>
    /// <param name="staleWindow">
    /// After a question was withdrawn under a pending read, an answer that comes within this time of the next question
    /// was typed for the withdrawn one and is not taken; a later one is (the person had the new question in front of them).
    /// </param>
    /// <param name="store">The receiver's trust store, so a question shows the sender's verified ID and alias; null in open mode.</param>
    public OfferPrompt(TextReader input, TextWriter output, TimeSpan staleWindow, TrustStore? store = null)
    {
        _store = store;
        _input = input;
        _output = output;
        _staleWindow = staleWindow;
        Receive<OfferReceived>(offer =>
        {
            _waiting.Enqueue((offer, Sender));
            AskNext();
        });
        Receive<OfferWithdrawn>(withdrawn =>
        {
            if (_asked is { } asked && asked.Offer.Ticket == withdrawn.Ticket)
            {
                _output.WriteLine($"the offer of {PeerText.ForDisplay(asked.Offer.Name)} was withdrawn: {PeerText.ForDisplay(withdrawn.Reason)}");
                _asked = null;
                // Whatever is being typed was meant for the withdrawn question: it must not answer the next one.
                _answerIsStale = _reading;
                AskNext();
            }
            else if (_waiting.Any(waiting => waiting.Offer.Ticket == withdrawn.Ticket))
            {
                var left = _waiting.Where(waiting => waiting.Offer.Ticket != withdrawn.Ticket).ToList();
                _waiting.Clear();
                left.ForEach(_waiting.Enqueue);
            }
        });
        Receive<Answered>(answered =>
        {
            _reading = false;
            _inputEnded = answered.Line is null;
            if (_answerIsStale && !_inputEnded && (_asked is null || Stopwatch.GetElapsedTime(_shownAt) < _staleWindow))
            {
                _answerIsStale = false;
                if (_asked is { } current)
                {
                    _output.WriteLine($"(that answer was for the withdrawn offer) accept {PeerText.ForDisplay(current.Offer.Name)}? [y/N]");
                    _shownAt = Stopwatch.GetTimestamp();
                    ReadAnswer();
                }

                return;
            }

            _answerIsStale = false;
            if (_asked is { } asked)
            {
                _asked = null;
                Decide(asked, answered.Line);
            }

            AskNext();
        });
    }

    /// <summary>Props for the prompt; an answer within <paramref name="staleWindow"/> (2 s by default) of a question that replaced a withdrawn one is taken as meant for the withdrawn one.</summary>
    public static Props Props(TextReader input, TextWriter output, TimeSpan? staleWindow = null, TrustStore? store = null) =>
        Akka.Actor.Props.Create(() => new OfferPrompt(input, output, staleWindow ?? TimeSpan.FromSeconds(2), store));

    private void AskNext()
    {
        while (_asked is null && _waiting.TryDequeue(out var next))
        {
            if (_inputEnded)
            {
                Decide(next, null);
                continue;
            }

            _asked = next;
            // The name and the sender's name are the sender's choice: escaped, so the question cannot be rewritten by them.
            var from = TrustedSenders.Describe(_store, next.Offer.Peer);
            _output.WriteLine($"accept {PeerText.ForDisplay(next.Offer.Name)} ({next.Offer.Size} bytes) from {from}? [y/N]");
            _shownAt = Stopwatch.GetTimestamp();
            if (!_reading)
            {
                ReadAnswer();
            }
        }
    }

    /// <summary>
    /// One read at a time, on a thread of its own: a console's reader blocks even in its async form, and an actor
    /// blocked on it could neither stop (Ctrl+C) nor hear that its question was withdrawn.
    /// </summary>
    private void ReadAnswer()
    {
        _reading = true;
        var input = _input;
        Task.Factory.StartNew(input.ReadLine, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            .PipeTo(Self, success: line => new Answered(line), failure: _ => new Answered(null));
    }

    private void Decide((OfferReceived Offer, IActorRef Receiver) asked, string? line)
    {
        var answer = line?.Trim();
        if (string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
        {
            asked.Receiver.Tell(new AcceptOffer(asked.Offer.Ticket));
            return;
        }

        var reason = line is null ? "declined at the receiver (nobody there to ask)" : "declined at the receiver";
        _output.WriteLine($"declined {PeerText.ForDisplay(asked.Offer.Name)}");
        asked.Receiver.Tell(new RejectOffer(asked.Offer.Ticket, reason));
    }

    private sealed record Answered(string? Line);
}
