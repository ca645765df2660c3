using Akka.Actor;
using Lan.Actors.Filer;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Node.Filer;

/// <summary>Published on the event stream when a <c>receive</c> node got a short message: <c>MESSAGE</c> {TEXT}.</summary>
/// <param name="From">The sender's node name from its HELLO, or its address when it sent none.</param>
/// <param name="Text">The message.</param>
internal sealed record ShortMessageReceived(string From, string Text);

/// <summary>
/// The handler of <c>lan-node receive</c>, shared by every connection: <c>MESSAGE</c> packets become
/// <see cref="ShortMessageReceived"/> events; everything else (the <c>FILE_*</c> packets and the connection's
/// lifecycle) goes to its <see cref="FileReceiverHandler"/> child, which answers the connection directly.
/// </summary>
internal sealed class FilerInbox : ReceiveActor
{
    private readonly Dictionary<IActorRef, string> _names = [];

    public FilerInbox(FileReceiverOptions options)
    {
        var files = Context.ActorOf(FileReceiverHandler.Props(options), "files");
        Receive<Connected>(connected =>
        {
            _names[connected.Connection] = Describe(connected.Peer);
            files.Forward(connected);
        });
        Receive<Identified>(identified =>
        {
            _names[identified.Connection] = Describe(identified.Peer);
            files.Forward(identified);
        });
        Receive<Disconnected>(disconnected =>
        {
            _names.Remove(disconnected.Connection);
            files.Forward(disconnected);
        });
        Receive<Received>(received => received.Packet.Type == PacketTypes.Message, received =>
        {
            var from = _names.TryGetValue(received.Connection, out var name) ? name : "?";
            var text = received.Packet.TryGet<string>("TEXT", out var said) ? said : "";
            Context.System.EventStream.Publish(new ShortMessageReceived(from, text));
        });
        ReceiveAny(files.Forward);
    }

    public static Props Props(FileReceiverOptions options) => Akka.Actor.Props.Create(() => new FilerInbox(options));

    private static string Describe(PeerInfo peer) => peer.Name.Length > 0 ? peer.Name : peer.EndPoint.ToString();
}
