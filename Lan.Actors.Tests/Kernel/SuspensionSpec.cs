using Lan.Actors.Kernel;

namespace Lan.Actors.Tests.Kernel;

/// <summary>Children suspended by a failure are always released again, whichever way the failure ends.</summary>
public sealed class SuspensionSpec : TestKit.TestKit
{
    [Fact]
    public void ResumeAfterAFailedConstructor_ReleasesTheChildrenItHad()
    {
        var attempts = 0;
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(new OneForOneStrategy(_ => Directive.Resume))));
        supervisor.Tell(new CreateChild(Props.Create(() => new FailsOnce(TestActor, () => ++attempts == 1))));
        ExpectMsg<IActorRef>();
        var firstKid = ExpectMsg<IActorRef>(); // made by the constructor that then threw
        ExpectMsg<IActorRef>();                 // made by the constructor that worked
        firstKid.Tell("still answering?");
        ExpectMsg("still answering?");
    }

    [Fact]
    public void ARestartWhoseConstructorFails_ThenResume_ReleasesTheSurvivors()
    {
        var decisions = 0;
        var attempts = 0;
        var supervisor = Sys.ActorOf(Props.Create(() => new SupervisorActor(new OneForOneStrategy(_ =>
            ++decisions == 1 ? Directive.Restart : Directive.Resume))));
        supervisor.Tell(new CreateChild(Props.Create(() => new KeepsChildren(TestActor, () => ++attempts == 2))));
        var parent = ExpectMsg<IActorRef>();
        var kid = ExpectMsg<IActorRef>();
        parent.Tell("fail");
        kid.Tell("free?");
        ExpectMsg("free?");
    }

    /// <summary>Makes a child, reports it, then throws when <c>shouldFail</c> says so.</summary>
    private sealed class FailsOnce : ReceiveActor
    {
        public FailsOnce(IActorRef reportTo, Func<bool> shouldFail)
        {
            reportTo.Tell(Context.ActorOf(Props.Create<EchoActor>()));
            if (shouldFail())
            {
                throw new InvalidOperationException("first construction fails");
            }
        }
    }

    /// <summary>Keeps its children across restarts; its constructor fails when <c>shouldFail</c> says so.</summary>
    private sealed class KeepsChildren : ReceiveActor
    {
        public KeepsChildren(IActorRef reportTo, Func<bool> shouldFail)
        {
            if (shouldFail())
            {
                throw new InvalidOperationException("the restart's constructor fails");
            }
            if (Context.Child("kid").Equals(ActorRefs.Nobody))
            {
                reportTo.Tell(Context.ActorOf(Props.Create<EchoActor>(), "kid"));
            }
            Receive<string>(m => m == "fail", _ => throw new InvalidOperationException("fail"));
        }

        protected override void PreRestart(Exception reason, object? message)
        {
            // Keeps the children: they survive the restart.
        }
    }
}
