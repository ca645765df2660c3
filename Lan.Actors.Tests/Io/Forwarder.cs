using Akka.Actor;
using Lan.Actors.Io;

namespace Lan.Actors.Tests.Io;

/// <summary>A handler that forwards everything to a probe, keeping the connection as the sender.</summary>
internal sealed class Forwarder : ReceiveActor
{
    private readonly IActorRef _target;
    private readonly bool _announce;

    public Forwarder(IActorRef target, bool announce, bool watch)
    {
        _target = target;
        _announce = announce;
        Receive<Connected>(connected =>
        {
            if (watch)
            {
                Context.Watch(connected.Connection);
            }

            target.Forward(connected);
        });
        // Akka drops a Terminated at an actor that does not watch the dead one, so the probe gets it wrapped.
        Receive<Terminated>(terminated => target.Tell(new HandlerSawTerminated(terminated.ActorRef)));
        ReceiveAny(message => target.Forward(message));
    }

    public static Props To(IActorRef target) => Props.Create(() => new Forwarder(target, false, false));

    /// <summary>Also tells the probe <see cref="HandlerStarted"/> when it starts, so a spec can find each handler.</summary>
    public static Props Announcing(IActorRef target) => Props.Create(() => new Forwarder(target, true, false));

    /// <summary>Death-watches every connection it is told of, and reports each <c>Terminated</c> as <see cref="HandlerSawTerminated"/>.</summary>
    public static Props Watching(IActorRef target) => Props.Create(() => new Forwarder(target, false, true));

    protected override void PreStart()
    {
        if (_announce)
        {
            _target.Tell(new HandlerStarted(Self));
        }
    }
}

internal sealed record HandlerStarted(IActorRef Handler);

internal sealed record HandlerSawTerminated(IActorRef Actor);
