using System.Net.Sockets;
using Akka.Actor;
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
        try
        {
            _socket!.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Context.Stop(Self);
        }
    }
}
