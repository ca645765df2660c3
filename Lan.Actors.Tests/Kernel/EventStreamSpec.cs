using Lan.Actors.Kernel;

namespace Lan.Actors.Tests.Kernel;

public sealed class EventStreamSpec : TestKit.TestKit
{
    private abstract record Animal;

    private sealed record Cat(string Name) : Animal;

    private sealed record Dog(string Name) : Animal;

    [Fact]
    public void SubscribingToABaseType_ReceivesSubtypes()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(Animal));
        Sys.EventStream.Publish(new Cat("tom"));
        Sys.EventStream.Publish(new Dog("rex"));
        Sys.EventStream.Publish("not an animal");
        ExpectMsg(new Cat("tom"));
        ExpectMsg(new Dog("rex"));
        ExpectNoMsg();
    }

    [Fact]
    public void OverlappingSubscriptions_DeliverEachEventOnce()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(Animal));
        Sys.EventStream.Subscribe(TestActor, typeof(Cat));
        Sys.EventStream.Publish(new Cat("once"));
        ExpectMsg(new Cat("once"));
        ExpectNoMsg();
    }

    [Fact]
    public void Unsubscribe_StopsDelivery()
    {
        Assert.True(Sys.EventStream.Subscribe(TestActor, typeof(Cat)));
        Assert.False(Sys.EventStream.Subscribe(TestActor, typeof(Cat)));
        Assert.True(Sys.EventStream.Unsubscribe(TestActor, typeof(Cat)));
        Sys.EventStream.Publish(new Cat("unheard"));
        ExpectNoMsg();
    }

    [Fact]
    public void UnhandledMessages_ArePublished()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var picky = Sys.ActorOf(Props.Create(() => new OnlyInts()));
        picky.Tell("a string");
        var unhandled = ExpectMsg<UnhandledMessage>();
        Assert.Equal("a string", unhandled.Message);
        Assert.Equal(picky, unhandled.Recipient);
        Assert.Equal(TestActor, unhandled.Sender);
    }

    [Fact]
    public void DeadLetters_ArePublished_WithSenderAndRecipient()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        Sys.DeadLetters.Tell("lost", TestActor);
        var deadLetter = ExpectMsg<DeadLetter>();
        Assert.Equal("lost", deadLetter.Message);
        Assert.Equal(TestActor, deadLetter.Sender);
    }

    [Fact]
    public void AStoppedSubscriber_IsDropped_WithoutADeadLetterLoop()
    {
        var subscriber = CreateTestProbe();
        Sys.EventStream.Subscribe(subscriber, typeof(DeadLetter));
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        Watch(subscriber.Ref);
        Sys.Stop(subscriber.Ref);
        ExpectTerminated(subscriber.Ref);
        Sys.DeadLetters.Tell("one", ActorRefs.NoSender);
        ExpectMsg<DeadLetter>(d => (string)d.Message == "one");
        ExpectNoMsg();
    }

    private sealed class OnlyInts : ReceiveActor
    {
        public OnlyInts() => Receive<int>(_ => { });
    }
}
