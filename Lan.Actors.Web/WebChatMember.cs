using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Web;

/// <summary>The page's member of its node's chat room: a LAN connection like any member's, whose lines the page types.</summary>
internal sealed class WebChatMember : ReceiveActor
{
    private IActorRef? _connection;

    public WebChatMember(IActorRef watcher)
    {
        Receive<Connected>(connected =>
        {
            _connection = connected.Connection;
            watcher.Tell(new Joined(Self));
        });
        Receive<Received>(received => watcher.Tell(new Heard(received.Packet)));
        Receive<Disconnected>(_ =>
        {
            _connection = null;
            watcher.Tell(Left.Instance);
        });
        Receive<WebSay>(say => _connection?.Tell(new Send(Packet.Create(PacketTypes.Message).Set("TEXT", say.Text).Build())));
        ReceiveAny(_ => { });
    }

    public static Props Create(IActorRef watcher) => Props.Create(() => new WebChatMember(watcher));

    internal sealed record Joined(IActorRef Member);

    internal sealed record Heard(Packet Packet);

    internal sealed record Left
    {
        public static Left Instance { get; } = new();
    }
}
