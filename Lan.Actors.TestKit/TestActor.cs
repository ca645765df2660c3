using System.Threading.Channels;
using Lan.Actors.Kernel;

namespace Lan.Actors.TestKit;

/// <summary>A message that reached a test actor, with its sender.</summary>
/// <param name="Message">The message.</param>
/// <param name="Sender">Who sent it.</param>
public sealed record MessageEnvelope(object Message, IActorRef Sender);

/// <summary>The actor behind <c>TestActor</c> and every probe: queues what it receives for the expectations.</summary>
internal sealed class TestActor(ChannelWriter<MessageEnvelope> queue) : UntypedActor
{
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case WatchCommand watch:
                Context.Watch(watch.Subject);
                watch.Done.TrySetResult();
                break;
            case UnwatchCommand unwatch:
                Context.Unwatch(unwatch.Subject);
                unwatch.Done.TrySetResult();
                break;
            default:
                queue.TryWrite(new MessageEnvelope(message, Sender));
                break;
        }
    }

    internal sealed record WatchCommand(IActorRef Subject, TaskCompletionSource Done) : INotInfluenceReceiveTimeout;

    internal sealed record UnwatchCommand(IActorRef Subject, TaskCompletionSource Done) : INotInfluenceReceiveTimeout;
}
