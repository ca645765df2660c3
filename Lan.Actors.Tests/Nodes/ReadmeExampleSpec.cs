using Akka.Actor;
using Lan.Actors.Nodes;
using Lan.Actors.Tests.Hocon;

namespace Lan.Actors.Tests.Nodes;

/// <summary>The README's first actor, as written there.</summary>
public sealed class ReadmeExampleSpec
{
    private sealed class Greeter : ReceiveActor
    {
        public Greeter() => Receive<string>(name => Sender.Tell($"hello, {name}"));
    }

    [Fact]
    public async Task FirstActor_AnswersOverAsk_OnASystemBuiltFromLoopbackConf()
    {
        var config = LanConfiguration.Load(ReferenceConfSpec.RepositoryFile("hocon", "loopback.conf"));
        using var system = LanActorSystem.Create("app", config);
        var greeter = system.ActorOf(Props.Create<Greeter>(), "greeter");
        Assert.Equal("hello, LAN", await greeter.Ask<string>("LAN", TimeSpan.FromSeconds(10)));
        await system.Terminate();
    }
}
