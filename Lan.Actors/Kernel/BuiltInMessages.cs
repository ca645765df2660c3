namespace Lan.Actors.Kernel;

/// <summary>Marks messages that the runtime handles itself before the actor's behaviour sees them.</summary>
public interface IAutoReceivedMessage;

/// <summary>Marks messages that do not reset the receive timeout.</summary>
public interface INotInfluenceReceiveTimeout;

/// <summary>Stops the actor when it is processed, in mailbox order: earlier messages are handled first.</summary>
public sealed class PoisonPill : IAutoReceivedMessage
{
    /// <summary>The single instance.</summary>
    public static readonly PoisonPill Instance = new();

    private PoisonPill() { }

    /// <inheritdoc />
    public override string ToString() => "<PoisonPill>";
}

/// <summary>Makes the actor throw <see cref="ActorKilledException"/>; the default strategy then stops it.</summary>
public sealed class Kill : IAutoReceivedMessage
{
    /// <summary>The single instance.</summary>
    public static readonly Kill Instance = new();

    private Kill() { }

    /// <inheritdoc />
    public override string ToString() => "<Kill>";
}

/// <summary>Told to a watcher, once, when an actor it watches has stopped.</summary>
/// <param name="ActorRef">The actor that stopped.</param>
/// <param name="ExistenceConfirmed">False when the actor was already gone (or never existed) at watch time.</param>
/// <param name="AddressTerminated">True when the actor's whole node became unreachable.</param>
public sealed record Terminated(IActorRef ActorRef, bool ExistenceConfirmed = true, bool AddressTerminated = false)
    : IAutoReceivedMessage, IDeadLetterSuppression;

/// <summary>Delivered after the inactivity period set by <c>Context.SetReceiveTimeout</c>.</summary>
public sealed class ReceiveTimeout : IAutoReceivedMessage, INotInfluenceReceiveTimeout
{
    /// <summary>The single instance.</summary>
    public static readonly ReceiveTimeout Instance = new();

    private ReceiveTimeout() { }

    /// <inheritdoc />
    public override string ToString() => "<ReceiveTimeout>";
}

/// <summary>Replies that say how an operation ended; an Ask completes with the failure's exception.</summary>
public static class Status
{
    /// <summary>The operation succeeded.</summary>
    public sealed record Success(object? Status);

    /// <summary>The operation failed with <paramref name="Cause"/>.</summary>
    public sealed record Failure(Exception Cause);
}

/// <summary>Marks messages that are not logged when they end up in dead letters.</summary>
public interface IDeadLetterSuppression;

/// <summary>A message that could not be delivered; published on the event stream.</summary>
public sealed record DeadLetter(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>A message that an actor did not handle; published on the event stream.</summary>
public sealed record UnhandledMessage(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>Every actor answers with <see cref="ActorIdentity"/>, in mailbox order: a cheap way to learn it has handled what came before.</summary>
/// <param name="MessageId">Returned unchanged in the answer.</param>
public sealed record Identify(object? MessageId) : IAutoReceivedMessage;

/// <summary>The answer to <see cref="Identify"/>.</summary>
/// <param name="MessageId">The id the question carried.</param>
/// <param name="Subject">The actor that answered; null if it was already gone.</param>
public sealed record ActorIdentity(object? MessageId, IActorRef? Subject);
