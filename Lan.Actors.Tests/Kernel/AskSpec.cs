using Lan.Actors.Kernel;

namespace Lan.Actors.Tests.Kernel;

public sealed class AskSpec : TestKit.TestKit
{
    [Fact]
    public async Task Ask_CompletesWithTheReply()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        var reply = await echo.Ask<string>("hi", TimeSpan.FromSeconds(5));
        Assert.Equal("hi", reply);
    }

    [Fact]
    public async Task Ask_WithNoReply_FailsWithAskTimeoutException()
    {
        var silent = CreateTestProbe();
        var error = await Assert.ThrowsAsync<AskTimeoutException>(() => silent.Ask<string>("anyone?", TimeSpan.FromMilliseconds(50)));
        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_FailureReply_FailsTheTaskWithItsCause()
    {
        var failing = Sys.ActorOf(Props.Create(() => new FailureReplier()));
        var error = await Assert.ThrowsAsync<FormatException>(() => failing.Ask<string>("question", TimeSpan.FromSeconds(5)));
        Assert.Equal("no answer", error.Message);
    }

    [Fact]
    public async Task Ask_ReplyOfTheWrongType_FailsWithAClearError()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        var error = await Assert.ThrowsAsync<InvalidCastException>(() => echo.Ask<int>("not a number", TimeSpan.FromSeconds(5)));
        Assert.Contains("Int32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_KeepsTheOriginalSender()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        var forwarder = Sys.ActorOf(Props.Create(() => new Forwarder(echo)));
        forwarder.Tell("via forwarder");
        ExpectMsg("via forwarder");
        Assert.Equal(echo, LastSender);
    }

    private sealed class FailureReplier : ReceiveActor
    {
        public FailureReplier() => ReceiveAny(_ => Sender.Tell(new Status.Failure(new FormatException("no answer"))));
    }

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef target) => ReceiveAny(message => target.Forward(message));
    }
}
