using Akka.Actor;
using Lan.Actors.Io;

namespace Lan.Actors.Handlers;

/// <summary>Answers every packet with the same packet, content included, on the connection it came from.</summary>
public sealed class EchoHandler : ReceiveActor
{
    /// <summary>Creates the handler.</summary>
    public EchoHandler()
    {
        Receive<Received>(received => received.Connection.Tell(new Send(received.Packet)));
        Receive<Connected>(_ => { });
        Receive<Identified>(_ => { });
        Receive<Disconnected>(_ => { });
        Receive<SendRefused>(_ => { });
    }
}
