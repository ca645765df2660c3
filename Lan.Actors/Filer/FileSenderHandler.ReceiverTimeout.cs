using Akka.Actor;

namespace Lan.Actors.Filer;

// A receiver that stops answering while its connection stays up (heartbeats still flowing) must not keep a
// transfer, and everything queued behind it, waiting forever.
public sealed partial class FileSenderHandler
{
    private const string ReceiverTimer = "receiver-silent";

    /// <summary>
    /// Runs the receiver's clock while the transfer waits for it (an answer to the offer, acknowledgements, the verdict
    /// on FILE_DONE), restarting it on each of its packets; stops it while only the sender's own hash is awaited.
    /// </summary>
    private void ArmReceiverTimer()
    {
        if (_current is { } transfer && (!transfer.Accepted || transfer.InFlight.Count > 0 || transfer.DoneSent))
        {
            Timers.StartSingleTimer(ReceiverTimer, new ReceiverSilent(transfer.Id), _options.ReceiverTimeout);
        }
        else
        {
            Timers.Cancel(ReceiverTimer);
        }
    }

    private void OnReceiverSilent(ReceiverSilent silent)
    {
        if (_current?.Id == silent.Id)
        {
            Cancel($"the receiver did not answer within {_options.ReceiverTimeout.TotalSeconds:0.#} s");
        }
    }

    private sealed record ReceiverSilent(string Id);
}
