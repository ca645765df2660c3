using Lan.Actors.Kernel;
using Lan.Actors.TestKit;

namespace Lan.Actors.Tests.Kernel;

/// <summary>The TestKit's own promises: what its failures say.</summary>
public sealed class TestKitSpec : TestKit.TestKit
{
    [Fact]
    public void ExpectMsg_Timeout_SaysWhatWasExpected_AndThatNothingArrived()
    {
        var error = Assert.Throws<TestKitAssertionException>(() => ExpectMsg<string>(TimeSpan.FromMilliseconds(20)));
        Assert.Contains("String", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing arrived", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectMsg_WrongType_SaysWhatArrivedInstead()
    {
        TestActor.Tell(42);
        var error = Assert.Throws<TestKitAssertionException>(() => ExpectMsg<string>());
        Assert.Contains("received 42 (Int32)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectNoMsg_Failure_NamesTheMessage()
    {
        TestActor.Tell("surprise");
        var error = Assert.Throws<TestKitAssertionException>(() => ExpectNoMsg(TimeSpan.FromMilliseconds(50)));
        Assert.Contains("surprise", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TellFromTheTestBody_HasTheTestActorAsSender()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        echo.Tell("back to me");
        ExpectMsg("back to me");
    }

    [Fact]
    public void Probes_HaveTheirOwnQueues()
    {
        var probe = CreateTestProbe("probe");
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        probe.Send(echo, "to the probe");
        probe.ExpectMsg("to the probe");
        ExpectNoMsg();
        probe.Reply("reply");
    }

    [Fact]
    public void TestProbe_CanBeWatchedAndStopped_LikeAnActor()
    {
        var probe = CreateTestProbe();
        Watch(probe);
        Sys.Stop(probe);
        var terminated = ExpectTerminated(probe);
        Assert.True(terminated.ExistenceConfirmed);
        Assert.True(probe.Ref.Equals(probe));
        Assert.True(probe.Equals(probe.Ref));
    }

    [Fact]
    public void ReceiveWhile_StopsAtTheFirstNonMatching_AndLeavesIt()
    {
        foreach (var message in new object[] { 1, 2, "stop", 3 })
        {
            TestActor.Tell(message);
        }
        var numbers = ReceiveWhile<object>(m => m is int ? m : null);
        Assert.Equal([1, 2], numbers.Cast<int>());
        ExpectMsg("stop");
        ExpectMsg(3);
    }

    [Fact]
    public void ExpectMsgAllOf_AcceptsAnyOrder()
    {
        TestActor.Tell("b");
        TestActor.Tell("a");
        ExpectMsgAllOf("a", "b");
    }

    [Fact]
    public void ExpectMsgAnyOf_AcceptsOneOfThem()
    {
        TestActor.Tell("y");
        Assert.Equal("y", ExpectMsgAnyOf("x", "y"));
    }

    [Fact]
    public void FishForMessage_SkipsTheOthers()
    {
        TestActor.Tell(1);
        TestActor.Tell("target");
        Assert.Equal("target", FishForMessage<string>(_ => true));
    }

    [Fact]
    public void ReceiveN_ReturnsThemInOrder()
    {
        TestActor.Tell("a");
        TestActor.Tell("b");
        Assert.Equal(["a", "b"], ReceiveN(2).Cast<string>());
    }

    [Fact]
    public void Within_SetsTheDefaultTimeoutOfExpectations()
    {
        Within(TimeSpan.FromSeconds(2), () =>
        {
            TestActor.Tell("inside");
            ExpectMsg("inside");
            Assert.True(Remaining <= Dilated(TimeSpan.FromSeconds(2)));
        });
    }

    [Fact]
    public void AwaitCondition_Failure_CarriesTheMessage()
    {
        var error = Assert.Throws<TestKitAssertionException>(() => AwaitCondition(() => false, TimeSpan.FromMilliseconds(30), message: "never true"));
        Assert.Contains("never true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsyncExpectations_Work()
    {
        TestActor.Tell("async");
        await ExpectMsgAsync("async");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public void Dilation_ScalesTheDefaults()
    {
        Assert.Equal(TimeSpan.FromSeconds(3 * TimeFactor), RemainingOrDefault);
    }
}
