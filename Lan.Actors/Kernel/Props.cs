using System.Diagnostics.CodeAnalysis;

namespace Lan.Actors.Kernel;

/// <summary>
/// An immutable recipe for creating an actor: how to construct it, and optionally the strategy with
/// which it supervises its own children. The factory runs again on every restart.
/// </summary>
public sealed class Props
{
    private readonly Func<ActorBase> _factory;

    private Props(Type actorType, Func<ActorBase> factory, SupervisorStrategy? supervisorStrategy)
    {
        Type = actorType;
        _factory = factory;
        SupervisorStrategy = supervisorStrategy;
    }

    /// <summary>The type of actor these props create.</summary>
    public Type Type { get; }

    /// <summary>The strategy the created actor applies to its children; null means the actor's own override.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>Props for an actor with a public parameterless constructor.</summary>
    public static Props Create<TActor>() where TActor : ActorBase, new() => new(typeof(TActor), static () => new TActor(), null);

    /// <summary>Props from a factory such as <c>() =&gt; new ChatRoom(name)</c>; it is called on start and on every restart.</summary>
    public static Props Create<TActor>(Func<TActor> factory, SupervisorStrategy? supervisorStrategy = null) where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(TActor), factory, supervisorStrategy);
    }

    /// <summary>Props that call the constructor of <typeparamref name="TActor"/> matching <paramref name="args"/>.</summary>
    public static Props Create<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TActor>(params object?[] args)
        where TActor : ActorBase
        => Create(typeof(TActor), args);

    /// <summary>Props that call the constructor of <paramref name="actorType"/> matching <paramref name="args"/>.</summary>
    public static Props Create([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type actorType, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(actorType);
        if (!typeof(ActorBase).IsAssignableFrom(actorType))
        {
            throw new ArgumentException($"{actorType} is not an actor: derive it from ReceiveActor, UntypedActor or ActorBase.", nameof(actorType));
        }
        var arguments = args ?? [];
        return new Props(actorType, () => (ActorBase)Activator.CreateInstance(actorType, arguments)!, null);
    }

    /// <summary>The same props with <paramref name="strategy"/> supervising the actor's children.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy) => new(Type, _factory, strategy);

    internal ActorBase NewActor() => _factory();

    /// <inheritdoc />
    public override string ToString() => $"Props({Type.Name})";
}
