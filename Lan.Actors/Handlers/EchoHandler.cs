using Akka.Actor;
using Lan.Actors.Io;

namespace Lan.Actors.Handlers;

/// <summary>
/// Answers every packet with the same packet, content included, on the connection it came from: a <see cref="Received"/>
/// with a <see cref="Send"/>, and a <see cref="ReceivedBatch"/> (batch delivery) with one <see cref="SendBatch"/> of the same packets.
/// </summary>
public sealed class EchoHandler : ReceiveActor
{
    /// <summary>Creates the handler.</summary>
    public EchoHandler()
    {
        Receive<Received>(received => received.Connection.Tell(new Send(received.Packet)));
        Receive<ReceivedBatch>(batch => batch.Connection.Tell(new SendBatch(batch.Packets)));
        // A failed connect attempt: the node tries again after its back-off; nothing to do until Connected.
        Receive<ConnectAttemptFailed>(_ => { });
        Receive<Connected>(_ => { });
        Receive<Identified>(_ => { });
        Receive<Disconnected>(_ => { });
        Receive<SendRefused>(_ => { });
    }
}
