using Akka.Actor;
using Akka.Event;

namespace Lan.Node.Demo;

/// <summary>A member joins the room.</summary>
internal sealed record Join(string Name);

/// <summary>A member says something to everyone.</summary>
internal sealed record Say(string From, string Text);

/// <summary>What a member hears.</summary>
internal sealed record Heard(string From, string Text);

/// <summary>
/// The demo's room: it owns one child per member, relays every line to the others, and restarts a
/// member that crashes, so the demo shows supervision doing its work.
/// </summary>
internal sealed class ChatRoom : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ChatRoom(IActorRef transcript)
    {
        Receive<Join>(join =>
        {
            var member = Context.ActorOf(Props.Create(() => new ChatMember(join.Name, transcript)), join.Name);
            Context.Watch(member);
            _log.Info("{Member} joined the room", join.Name);
        });
        Receive<Say>(say =>
        {
            foreach (var member in Context.GetChildren())
            {
                if (member.Path.Name != say.From)
                {
                    member.Tell(new Heard(say.From, say.Text));
                }
            }
        });
        Receive<Terminated>(terminated => _log.Info("{Member} left the room", terminated.ActorRef.Path.Name));
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(3, TimeSpan.FromMinutes(1), _ => Directive.Restart);
}

/// <summary>A member: writes what it hears to the transcript, and crashes on "!crash".</summary>
internal sealed class ChatMember : ReceiveActor
{
    public ChatMember(string name, IActorRef transcript)
    {
        Receive<Heard>(heard => heard.Text == "!crash", _ => throw new InvalidOperationException($"{name} tripped over a bad line"));
        Receive<Heard>(heard => transcript.Tell($"{name} hears {heard.From}: {heard.Text}"));
    }

    protected override void PostRestart(Exception reason)
    {
        Context.GetLogger().Info("restarted by {Supervisor} after: {Reason}", Context.Parent.Path.Name, reason.Message);
        Context.Parent.Tell(new Say(Self.Path.Name, $"(back after a crash: {reason.Message})"));
    }
}
