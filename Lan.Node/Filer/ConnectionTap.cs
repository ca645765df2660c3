using System.Threading.Channels;
using Akka.Actor;
using Lan.Actors.Io;

namespace Lan.Node.Filer;

/// <summary>
/// A client handler for the filer's one-shot commands: it tells the command when the connection is first up and
/// first gone, writes every <see cref="Connected"/>, <see cref="Identified"/> and <see cref="Disconnected"/> to <c>link</c> when given
/// (a command that outlives reconnections), and forwards every message (the connection's and the command's) to the
/// handler made from its props.
/// </summary>
internal sealed class ConnectionTap : ReceiveActor
{
    public ConnectionTap(Props inner, TaskCompletionSource<IActorRef> connected, TaskCompletionSource<Disconnected> disconnected, ChannelWriter<object>? link)
    {
        var handler = Context.ActorOf(inner, "inner");
        Receive<Connected>(up =>
        {
            connected.TrySetResult(up.Connection);
            link?.TryWrite(up);
            handler.Forward(up);
        });
        Receive<Identified>(identified =>
        {
            link?.TryWrite(identified);
            handler.Forward(identified);
        });
        Receive<Disconnected>(down =>
        {
            disconnected.TrySetResult(down);
            link?.TryWrite(down);
            handler.Forward(down);
        });
        ReceiveAny(handler.Forward);
    }

    public static Props Props(Props inner, TaskCompletionSource<IActorRef> connected, TaskCompletionSource<Disconnected> disconnected, ChannelWriter<object>? link = null) =>
        Akka.Actor.Props.Create(() => new ConnectionTap(inner, connected, disconnected, link));

    /// <summary>A handler that needs nothing from the connection.</summary>
    public sealed class Nothing : ReceiveActor
    {
        public Nothing() => ReceiveAny(_ => { });
    }
}

/// <summary>Writes whatever it is told to a channel, so a command's loop can await the events it subscribed it to.</summary>
internal sealed class EventPump : ReceiveActor
{
    public EventPump(ChannelWriter<object> events) => ReceiveAny(message => events.TryWrite(message));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
