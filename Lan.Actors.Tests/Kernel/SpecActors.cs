using Lan.Actors.Kernel;

namespace Lan.Actors.Tests.Kernel;

/// <summary>Small actors the kernel specs share.</summary>
internal sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(message => Sender.Tell(message));
}

/// <summary>Reports its lifecycle to a probe and throws on request.</summary>
internal sealed class LifecycleActor : ReceiveActor
{
    private readonly IActorRef _reportTo;
    private int _handled;

    public LifecycleActor(IActorRef reportTo)
    {
        _reportTo = reportTo;
        Receive<Fail>(fail => throw fail.Exception);
        Receive<string>(text =>
        {
            _handled++;
            Sender.Tell($"{text}:{_handled}");
        });
    }

    protected override void PreStart() => _reportTo.Tell("PreStart");

    protected override void PostStop() => _reportTo.Tell("PostStop");

    protected override void PreRestart(Exception reason, object? message)
    {
        _reportTo.Tell(new PreRestarted(reason, message));
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        _reportTo.Tell(new PostRestarted(reason));
        base.PostRestart(reason);
    }
}

internal sealed record Fail(Exception Exception);

internal sealed record PreRestarted(Exception Reason, object? Message);

internal sealed record PostRestarted(Exception Reason);

/// <summary>A parent that creates children on request and supervises them with a given strategy.</summary>
internal sealed class SupervisorActor : ReceiveActor
{
    private readonly SupervisorStrategy _strategy;

    public SupervisorActor(SupervisorStrategy strategy)
    {
        _strategy = strategy;
        Receive<CreateChild>(create => Sender.Tell(Context.ActorOf(create.Props, create.Name)));
        Receive<Fail>(fail => throw fail.Exception);
    }

    protected override SupervisorStrategy SupervisorStrategy() => _strategy;
}

internal sealed record CreateChild(Props Props, string? Name = null);
