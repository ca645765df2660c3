using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Protocol;

namespace Lan.Actors.Io;

// Closing on this side's terms: DISCONNECT after what is queued, then the send half shut and the rest read and dropped.
internal sealed partial class ConnectionActor
{
    private const string CloseTimer = "close";

    private void BeginClose(DisconnectReason reason, string detail)
    {
        if (_endReason is not null)
        {
            return;
        }

        _endReason = reason;
        _endDetail = detail;
        // The reason may quote the peer or the user; a DISCONNECT too large for the peer to accept goes without it.
        var farewell = Packet.From(new Disconnect(detail));
        _outbox.EnqueueFinal(_outbox.Fits(farewell) ? farewell : Packet.From(new Disconnect()));
        _closePending = true;
        Become(Closing);
        Timers.StartSingleTimer(CloseTimer, CloseTimedOut.Instance, _setup.Tcp.CloseTimeout);
        ResumeReadingRequested();

        Flush();
    }

    private void ShutdownSend()
    {
        Task shutting;
        try
        {
            shutting = _link!.ShutdownSendAsync();
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            Context.Stop(Self);
            return;
        }

        // A TLS close_notify that cannot be sent leaves nothing to wait for; the close time-out covers one that hangs.
        var self = Self;
        shutting.ContinueWith(_ => self.Tell(SendShutFailed.Instance), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private sealed record SendShutFailed : IDeadLetterSuppression
    {
        public static SendShutFailed Instance { get; } = new();
    }
}
