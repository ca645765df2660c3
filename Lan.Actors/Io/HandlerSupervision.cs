using Akka.Actor;
using Akka.Actor.Internal;
using Akka.Event;

namespace Lan.Actors.Io;

/// <summary>
/// How a node supervises the user's handlers: a handler that throws is restarted, and says so at ERROR with its path,
/// the exception and the TYPE of the packet it was handling; past <see cref="HandlerSettings.MaxRestarts"/> within
/// <see cref="HandlerSettings.RestartWindow"/> it is stopped, and its parent, which watches it, closes its
/// connection(s) with <see cref="DisconnectReason.HandlerFailed"/>. Any other child (a connection) is stopped without
/// a log line of this strategy's: it says in its own line how it ended.
/// </summary>
internal sealed class HandlerSupervision(HandlerSettings settings, Func<IActorRef, bool> isHandler, Func<Exception, Directive> others, bool logOthers)
    : OneForOneStrategy(settings.MaxRestarts, (int)settings.RestartWindow.TotalMilliseconds, _ => Directive.Restart, loggingEnabled: true)
{
    // The base decider is not used: the child decides which rule applies.
    protected override Directive Handle(IActorRef child, Exception exception) => isHandler(child) ? Directive.Restart : others(exception);

    public override void ProcessFailure(IActorContext context, bool restart, IActorRef child, Exception cause, ChildRestartStats stats, IReadOnlyCollection<ChildRestartStats> children)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(stats);
        if (!isHandler(child))
        {
            // The node's own children (listener, discovery) restart as Akka's default strategy would, without a budget.
            if (restart)
            {
                RestartChild(child, cause, suspendFirst: false);
            }
            else
            {
                context.Stop(child);
            }

            return;
        }

        var permitted = stats.RequestRestartPermission(settings.MaxRestarts, (int)settings.RestartWindow.TotalMilliseconds);
        var window = $"{settings.RestartWindow.TotalSeconds:0.#} s";
        // A constructor that threw arrives wrapped: the reason is the inner exception, as Akka's own log line shows it.
        var reason = cause is ActorInitializationException { InnerException: { } inner } ? inner : cause;
        var failedOn = (child as ActorRefWithCell)?.Underlying is ActorCell { CurrentMessage: { } current } ? current : null;
        var what = $"handler {child.Path} failed while handling {Describe(failedOn)}: {reason.GetType().Name}: {reason.Message}";
        context.System.EventStream.Publish(new Error(cause, child.Path.ToString(), typeof(HandlerSupervision), permitted
            ? $"{what}; restarted ({stats.MaxNrOfRetriesCount} of {settings.MaxRestarts} restarts within {window}, lan.handler)"
            : $"{what}; stopped: it failed more than {settings.MaxRestarts} times within {window} (lan.handler), so its connections close with HandlerFailed"));
        if (permitted)
        {
            RestartChild(child, cause, suspendFirst: false);
            // The packets it failed on are lost with the message; in pull mode their connection waits for the
            // ResumeReading the handler will never send for them, so it is sent here (harmless in push mode).
            (failedOn switch { Received received => received.Connection, ReceivedBatch batch => batch.Connection, _ => null })?.Tell(ResumeReading.Instance);
        }
        else
        {
            context.Stop(child);
        }
    }

    // A handler's failure is told above, with the packet; a connection says in its own line how it ended.
    protected override void LogFailure(IActorContext context, IActorRef child, Exception cause, Directive directive)
    {
        if (logOthers && !isHandler(child))
        {
            base.LogFailure(context, child, cause, directive);
        }
    }

    // The message the handler failed on is still its current message while its parent decides: a local actor's cell
    // keeps it for PreRestart. Best effort: a remote or already replaced cell says nothing.
    private static string Describe(object? failedOn) => failedOn switch
    {
        Received received => $"a {received.Packet.Type} packet",
        ReceivedBatch batch => $"a batch of {string.Join(", ", batch.Packets.Select(packet => packet.Type).Distinct())} packets",
        null => "a message",
        _ => $"a {failedOn.GetType().Name}",
    };
}
