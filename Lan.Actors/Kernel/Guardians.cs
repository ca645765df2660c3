namespace Lan.Actors.Kernel;

/// <summary>The root of the hierarchy: stops the system guardian after the user guardian, then itself.</summary>
internal sealed class RootGuardian : ActorBase
{
    protected override void PreStart()
    {
        Context.Watch(Context.Child("user"));
        Context.Watch(Context.Child("system"));
    }

    protected override bool Receive(object message)
    {
        if (message is not Terminated terminated)
        {
            return false;
        }
        if (terminated.ActorRef.Path.Name == "user")
        {
            Context.Stop(Context.Child("system"));
        }
        else
        {
            Context.Stop(Self);
        }
        return true;
    }
}

/// <summary>The parent of every actor created with <c>system.ActorOf</c>.</summary>
internal sealed class GuardianActor : ActorBase
{
    protected override bool Receive(object message) => false;
}

/// <summary>The "parent" of the root: turns the root's death into the end of the system.</summary>
internal sealed class TerminationSink(ActorSystem system, ActorPath path) : MinimalActorRef(path)
{
    public override void Tell(object message, IActorRef? sender) { }

    internal override void SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case DeathWatchNotification:
                system.OnRootTerminated();
                break;
            case Failed failed:
                system.Log.Fatal(failed.Cause, "A guardian failed; terminating the actor system");
                ActorRefInternals.SendSystem(failed.Child, Terminate.Instance);
                break;
        }
    }
}
