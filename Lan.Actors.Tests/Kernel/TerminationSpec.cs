using System.Collections.Concurrent;
using Lan.Actors.Kernel;

namespace Lan.Actors.Tests.Kernel;

public sealed class TerminationSpec
{
    [Fact]
    public async Task Terminate_StopsChildrenBeforeParents_AndRunsEveryPostStop()
    {
        var stops = new ConcurrentQueue<string>();
        var system = ActorSystem.Create("termination");
        var top = system.ActorOf(Props.Create(() => new Node(stops, 2)), "top");
        await top.Ask<string>("ready?", TimeSpan.FromSeconds(5));
        await system.Terminate();
        var order = stops.ToList();
        Assert.Equal(1 + 2 + 4, order.Count);
        Assert.Equal("/user/top", order[^1]);
        foreach (var path in order)
        {
            var parent = path[..path.LastIndexOf('/')];
            if (parent != "/user")
            {
                Assert.True(order.IndexOf(parent) > order.IndexOf(path), $"{parent} stopped before its child {path}");
            }
        }
        Assert.True(system.WhenTerminated.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task AfterTerminate_ActorOfFails_WithAClearError()
    {
        var system = ActorSystem.Create("closed");
        await system.Terminate();
        var error = Assert.Throws<IllegalActorStateException>(() => system.ActorOf(Props.Create<EchoActor>()));
        Assert.Contains("stopping", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SystemName_IsValidated()
    {
        Assert.Throws<ArgumentException>(() => ActorSystem.Create("bad name"));
        Assert.Throws<ArgumentException>(() => ActorSystem.Create(""));
    }

    /// <summary>A tree of actors, each recording its path when it stops.</summary>
    private sealed class Node : ReceiveActor
    {
        private readonly ConcurrentQueue<string> _stops;

        public Node(ConcurrentQueue<string> stops, int depth)
        {
            _stops = stops;
            var children = new List<IActorRef>();
            if (depth > 0)
            {
                children.Add(Context.ActorOf(Props.Create(() => new Node(stops, depth - 1)), "a"));
                children.Add(Context.ActorOf(Props.Create(() => new Node(stops, depth - 1)), "b"));
            }
            ReceiveAsync<string>(async question =>
            {
                foreach (var child in children)
                {
                    await child.Ask<string>(question, TimeSpan.FromSeconds(5));
                }
                Sender.Tell("ready");
            });
        }

        protected override void PostStop() => _stops.Enqueue(Self.Path.ToStringWithoutAddress());
    }
}
