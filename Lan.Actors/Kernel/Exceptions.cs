namespace Lan.Actors.Kernel;

/// <summary>Base of the runtime's own exceptions.</summary>
public class AkkaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AkkaException() { }

    /// <summary>Creates the exception with a message.</summary>
    public AkkaException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public AkkaException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>The actor's constructor or <c>PreStart</c> threw; by default the actor is stopped.</summary>
public sealed class ActorInitializationException : AkkaException
{
    /// <summary>Creates the exception.</summary>
    public ActorInitializationException() { }

    /// <summary>Creates the exception with a message.</summary>
    public ActorInitializationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ActorInitializationException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for <paramref name="actor"/>.</summary>
    public ActorInitializationException(IActorRef? actor, string message, Exception? innerException) : base(message, innerException) => Actor = actor;

    /// <summary>The actor that failed to start.</summary>
    public IActorRef? Actor { get; }
}

/// <summary>Thrown inside an actor that received <see cref="Kill"/>.</summary>
public sealed class ActorKilledException : AkkaException
{
    /// <summary>Creates the exception.</summary>
    public ActorKilledException() : base("Kill") { }

    /// <summary>Creates the exception with a message.</summary>
    public ActorKilledException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ActorKilledException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>An actor did not handle the <see cref="Terminated"/> of an actor it watched.</summary>
public sealed class DeathPactException : AkkaException
{
    /// <summary>Creates the exception.</summary>
    public DeathPactException() { }

    /// <summary>Creates the exception with a message.</summary>
    public DeathPactException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DeathPactException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for the actor that died.</summary>
    public DeathPactException(IActorRef deadActor)
        : base($"Monitored actor {deadActor} terminated and its Terminated was not handled; handle Terminated or Unwatch it.")
        => DeadActor = deadActor;

    /// <summary>The watched actor whose death was not handled.</summary>
    public IActorRef? DeadActor { get; }
}

/// <summary>An actor name is malformed or already taken among its siblings.</summary>
public sealed class InvalidActorNameException : AkkaException
{
    /// <summary>Creates the exception.</summary>
    public InvalidActorNameException() { }

    /// <summary>Creates the exception with a message.</summary>
    public InvalidActorNameException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public InvalidActorNameException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>No answer to an Ask arrived within its timeout.</summary>
public sealed class AskTimeoutException : AkkaException
{
    /// <summary>Creates the exception.</summary>
    public AskTimeoutException() { }

    /// <summary>Creates the exception with a message.</summary>
    public AskTimeoutException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public AskTimeoutException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>An operation was used where the actor's state does not allow it (e.g. stashing twice).</summary>
public sealed class IllegalActorStateException : AkkaException
{
    /// <summary>Creates the exception.</summary>
    public IllegalActorStateException() { }

    /// <summary>Creates the exception with a message.</summary>
    public IllegalActorStateException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public IllegalActorStateException(string message, Exception? innerException) : base(message, innerException) { }
}
