using Lan.Actors.Kernel;

namespace Lan.Actors.TestKit;

/// <summary>
/// A stand-in actor with its own queue and expectations, for tests with several parties. It is itself an
/// <see cref="IActorRef"/>: pass it wherever an actor is expected.
/// </summary>
public sealed class TestProbe : TestKitBase, IActorRefProxy
{
    internal TestProbe(ActorSystem system, string? name) : base(system, name is null ? null : ActorPathSafe(name)) { }

    /// <summary>The probe's actor.</summary>
    public IActorRef Ref => TestActor;

    /// <summary>The probe's actor: watching or stopping the probe acts on it.</summary>
    public IActorRef Underlying => TestActor;

    /// <inheritdoc />
    public ActorPath Path => TestActor.Path;

    /// <summary>Sends to the probe's actor: the message lands in the probe's queue.</summary>
    public void Tell(object message, IActorRef? sender) => TestActor.Tell(message, sender);

    /// <summary>Sends <paramref name="message"/> to <paramref name="target"/> with the probe as sender.</summary>
    public void Send(IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message, TestActor);
    }

    /// <summary>Answers the sender of the last received message, with the probe as sender.</summary>
    public void Reply(object message) => LastSender.Tell(message, TestActor);

    /// <summary>Passes <paramref name="message"/> (by default the last one) to <paramref name="target"/> keeping its original sender.</summary>
    public void Forward(IActorRef target, object? message = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message ?? LastMessage ?? throw new InvalidOperationException("There is no last message to forward; receive one first."), LastSender);
    }

    /// <inheritdoc />
    public bool Equals(IActorRef? other) => other is not null && TestActor.Equals(other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is IActorRef other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => TestActor.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(IActorRef? other) => TestActor.CompareTo(other);

    /// <inheritdoc />
    public override string ToString() => $"TestProbe{TestActor}";

    private static string ActorPathSafe(string name)
    {
        ActorPath.ValidateName(name);
        return name;
    }
}
