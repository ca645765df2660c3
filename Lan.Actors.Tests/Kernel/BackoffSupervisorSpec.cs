using Lan.Actors.Kernel;
using Lan.Actors.TestKit;

namespace Lan.Actors.Tests.Kernel;

/// <summary>Back-off on a manual clock with no jitter, so every delay is exact and no test waits on real time.</summary>
public sealed class BackoffSupervisorSpec : ManualTimeTestKit
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(8);

    private IActorRef StartSupervisor(BackoffOptions options)
    {
        var supervisor = Sys.ActorOf(BackoffSupervisor.Props(options));
        ExpectMsg("PreStart");
        return supervisor;
    }

    /// <summary>
    /// The child's "PostStop" arrives before the supervisor has seen its death and armed the back-off timer;
    /// moving the clock before that would shift the timer. Wait for the restart count that arming sets.
    /// </summary>
    private void AwaitRestartScheduled(IActorRef supervisor, int restarts) => AwaitCondition(
        () => supervisor.Ask<BackoffSupervisor.RestartCount>(BackoffSupervisor.GetRestartCount.Instance, TimeSpan.FromSeconds(3)).GetAwaiter().GetResult().Count == restarts,
        message: $"the supervisor never scheduled restart {restarts}");

    private IActorRef ChildOf(IActorRef supervisor)
    {
        supervisor.Tell(BackoffSupervisor.GetCurrentChild.Instance);
        return ExpectMsg<BackoffSupervisor.CurrentChild>().Ref;
    }

    [Fact]
    public void OnFailure_RestartsTheChild_OnlyAfterTheBackoff()
    {
        var supervisor = StartSupervisor(Backoff.OnFailure(Props.Create(() => new LifecycleActor(TestActor)), "worker", Min, Max, 0).WithManualReset());
        supervisor.Tell(new Fail(new InvalidOperationException("down")));
        ExpectMsg("PostStop");
        AwaitRestartScheduled(supervisor, 1);
        Time.Advance(Min - TimeSpan.FromMilliseconds(1));
        ExpectNoMsg();
        Time.Advance(TimeSpan.FromMilliseconds(1));
        ExpectMsg("PreStart");
    }

    [Fact]
    public void Backoff_DoublesWithEachRestart()
    {
        var supervisor = StartSupervisor(Backoff.OnFailure(Props.Create(() => new LifecycleActor(TestActor)), "worker", Min, Max, 0).WithManualReset());
        var expected = Min;
        for (var restart = 0; restart < 3; restart++)
        {
            supervisor.Tell(new Fail(new InvalidOperationException($"down {restart}")));
            ExpectMsg("PostStop");
            AwaitRestartScheduled(supervisor, restart + 1);
            Time.Advance(expected - TimeSpan.FromMilliseconds(1));
            ExpectNoMsg();
            Time.Advance(TimeSpan.FromMilliseconds(1));
            ExpectMsg("PreStart");
            expected += expected;
        }
        supervisor.Tell(BackoffSupervisor.GetRestartCount.Instance);
        ExpectMsg(new BackoffSupervisor.RestartCount(3));
    }

    [Fact]
    public void RestartCount_ResetsAfterTheChildRanLongEnough()
    {
        var supervisor = StartSupervisor(Backoff.OnFailure(Props.Create(() => new LifecycleActor(TestActor)), "worker", Min, Max, 0).WithAutoReset(TimeSpan.FromSeconds(30)));
        supervisor.Tell(new Fail(new InvalidOperationException("down")));
        ExpectMsg("PostStop");
        AwaitRestartScheduled(supervisor, 1);
        Time.Advance(Min);
        ExpectMsg("PreStart");
        Time.Advance(TimeSpan.FromSeconds(30));
        supervisor.Tell(BackoffSupervisor.GetRestartCount.Instance);
        ExpectMsg(new BackoffSupervisor.RestartCount(0));
    }

    [Fact]
    public void MessagesAreForwardedToTheChild()
    {
        var supervisor = StartSupervisor(Backoff.OnFailure(Props.Create(() => new LifecycleActor(TestActor)), "worker", Min, Max, 0));
        supervisor.Tell("hello");
        ExpectMsg("hello:1");
        supervisor.Tell(BackoffSupervisor.GetCurrentChild.Instance);
        Assert.Equal("worker", ExpectMsg<BackoffSupervisor.CurrentChild>().Ref.Path.Name);
    }

    [Fact]
    public void OnFailure_AChildThatStopsByItself_StopsTheSupervisor()
    {
        var supervisor = StartSupervisor(Backoff.OnFailure(Props.Create(() => new LifecycleActor(TestActor)), "worker", Min, Max, 0));
        Watch(supervisor);
        ChildOf(supervisor).Tell(PoisonPill.Instance);
        ExpectMsg("PostStop");
        ExpectTerminated(supervisor);
    }

    [Fact]
    public void OnStop_RestartsAfterANormalStop()
    {
        var supervisor = StartSupervisor(Backoff.OnStop(Props.Create(() => new LifecycleActor(TestActor)), "worker", Min, Max, 0));
        ChildOf(supervisor).Tell(PoisonPill.Instance);
        ExpectMsg("PostStop");
        AwaitRestartScheduled(supervisor, 1);
        Time.Advance(Min);
        ExpectMsg("PreStart");
    }

    [Fact]
    public void MaxRetries_ThenTheSupervisorStops()
    {
        var supervisor = StartSupervisor(Backoff.OnFailure(Props.Create(() => new LifecycleActor(TestActor)), "worker", Min, Max, 0, maxNrOfRetries: 1));
        Watch(supervisor);
        supervisor.Tell(new Fail(new InvalidOperationException("first")));
        ExpectMsg("PostStop");
        AwaitRestartScheduled(supervisor, 1);
        Time.Advance(Min);
        ExpectMsg("PreStart");
        supervisor.Tell(new Fail(new InvalidOperationException("second")));
        ExpectMsg("PostStop");
        ExpectTerminated(supervisor);
    }

    [Fact]
    public void CalculateDelay_IsCappedAndJitteredWithinTheFactor()
    {
        var random = new Random(1234);
        Assert.Equal(Max, BackoffSupervisor.CalculateDelay(10, Min, Max, 0));
        for (var i = 0; i < 100; i++)
        {
            var delay = BackoffSupervisor.CalculateDelay(1, Min, Max, 0.5, random);
            Assert.InRange(delay, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
        }
    }

    [Fact]
    public void Options_RejectNonsense_WithClearErrors()
    {
        var props = Props.Create<EchoActor>();
        Assert.Contains("minBackoff", Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.OnFailure(props, "c", TimeSpan.Zero, Max, 0)).Message, StringComparison.Ordinal);
        Assert.Contains("maxBackoff", Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.OnFailure(props, "c", Max, Min, 0)).Message, StringComparison.Ordinal);
        Assert.Contains("randomFactor", Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.OnFailure(props, "c", Min, Max, 2)).Message, StringComparison.Ordinal);
    }
}
