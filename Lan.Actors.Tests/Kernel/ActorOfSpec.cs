using Lan.Actors.Kernel;

namespace Lan.Actors.Tests.Kernel;

public sealed class ActorOfSpec : TestKit.TestKit
{
    [Fact]
    public void Paths_AreHierarchical_UnderUser()
    {
        var parent = Sys.ActorOf(Props.Create(() => new SupervisorActor(SupervisorStrategy.DefaultStrategy)), "lan");
        parent.Tell(new CreateChild(Props.Create<EchoActor>(), "conn-1"));
        var child = ExpectMsg<IActorRef>();
        Assert.Equal("/user/lan/conn-1", child.Path.ToStringWithoutAddress());
        Assert.Equal("lan://test/user/lan/conn-1", child.Path.ToString());
        Assert.Equal(parent.Path, child.Path.Parent);
    }

    [Fact]
    public void DuplicateSiblingName_IsRejected_WithAClearError()
    {
        Sys.ActorOf(Props.Create<EchoActor>(), "twin");
        var error = Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<EchoActor>(), "twin"));
        Assert.Contains("[twin] is not unique", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("$reserved")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    [InlineData("ümlaut")]
    public void InvalidNames_AreRejected(string name)
    {
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<EchoActor>(), name));
    }

    [Fact]
    public void GeneratedNames_AreUnique_AndStartWithDollar()
    {
        var names = Enumerable.Range(0, 100).Select(_ => Sys.ActorOf(Props.Create<EchoActor>()).Path.Name).ToList();
        Assert.Equal(100, names.Distinct().Count());
        Assert.All(names, name => Assert.StartsWith("$", name, StringComparison.Ordinal));
    }

    [Fact]
    public void NameOfAStoppedActor_CanBeReused_AfterItsTerminated()
    {
        var first = Sys.ActorOf(Props.Create<EchoActor>(), "reusable");
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);
        AwaitAssert(() => Sys.ActorOf(Props.Create<EchoActor>(), "reusable"));
    }

    [Fact]
    public void PropsWithArguments_CallsTheMatchingConstructor()
    {
        var actor = Sys.ActorOf(Props.Create<Greeter>("hello"));
        actor.Tell("world");
        ExpectMsg("hello world");
    }

    [Fact]
    public void PropsOfANonActorType_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => Props.Create(typeof(string)));
    }

    [Fact]
    public void NewingAnActor_OutsideTheRuntime_FailsWithAnExplanation()
    {
        var error = Assert.Throws<ActorInitializationException>(() => new EchoActor());
        Assert.Contains("ActorOf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContextChild_AndGetChildren_SeeTheChildren()
    {
        var parent = Sys.ActorOf(Props.Create<ChildLister>());
        parent.Tell("list");
        ExpectMsg("a,b|a");
    }

    private sealed class Greeter : ReceiveActor
    {
        public Greeter(string greeting) => Receive<string>(name => Sender.Tell($"{greeting} {name}"));
    }

    private sealed class ChildLister : ReceiveActor
    {
        public ChildLister()
        {
            Context.ActorOf(Props.Create<EchoActor>(), "a");
            Context.ActorOf(Props.Create<EchoActor>(), "b");
            Receive<string>(_ => Sender.Tell(
                string.Join(",", Context.GetChildren().Select(c => c.Path.Name).Order()) + "|" + Context.Child("a").Path.Name));
        }
    }
}
