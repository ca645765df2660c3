using Lan.Actors.Kernel;

namespace Lan.Actors.Tests.Kernel;

public sealed class BecomeSpec : TestKit.TestKit
{
    [Fact]
    public void Become_ReplacesTheBehaviour()
    {
        var light = Sys.ActorOf(Props.Create<Light>());
        light.Tell("state");
        ExpectMsg("off");
        light.Tell("toggle");
        light.Tell("state");
        ExpectMsg("on");
        light.Tell("toggle");
        light.Tell("state");
        ExpectMsg("off");
    }

    [Fact]
    public void BecomeStacked_ThenUnbecome_ReturnsToThePrevious()
    {
        var actor = Sys.ActorOf(Props.Create<Layers>());
        actor.Tell("push");
        actor.Tell("push");
        actor.Tell("depth");
        ExpectMsg(2);
        actor.Tell("pop");
        actor.Tell("depth");
        ExpectMsg(1);
        actor.Tell("pop");
        actor.Tell("depth");
        ExpectMsg(0);
        actor.Tell("pop"); // popping the base keeps the base
        actor.Tell("depth");
        ExpectMsg(0);
    }

    [Fact]
    public void UntypedActor_CanBecome()
    {
        var actor = Sys.ActorOf(Props.Create<UntypedSwitch>());
        actor.Tell("x");
        ExpectMsg("first:x");
        actor.Tell("x");
        ExpectMsg("second:x");
    }

    private sealed class Light : ReceiveActor
    {
        public Light() => Off();

        private void Off()
        {
            Receive<string>(m => m == "toggle", _ => Become(On));
            Receive<string>(m => m == "state", _ => Sender.Tell("off"));
        }

        private void On()
        {
            Receive<string>(m => m == "toggle", _ => Become(Off));
            Receive<string>(m => m == "state", _ => Sender.Tell("on"));
        }
    }

    private sealed class Layers : ReceiveActor
    {
        public Layers() => Layer(0);

        private void Layer(int depth)
        {
            Receive<string>(m => m == "push", _ => BecomeStacked(() => Layer(depth + 1)));
            Receive<string>(m => m == "pop", _ => UnbecomeStacked());
            Receive<string>(m => m == "depth", _ => Sender.Tell(depth));
        }
    }

    private sealed class UntypedSwitch : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            Sender.Tell($"first:{message}");
            Become(next => Sender.Tell($"second:{next}"));
        }
    }
}
