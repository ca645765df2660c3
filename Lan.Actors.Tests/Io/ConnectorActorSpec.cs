using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>
/// A client's connector for one server: it replaces a connection that failed after a back-off, and stops with one
/// that ended by choice. Its connection here is a stand-in the spec drives, whose last step can be held open: that
/// is the moment a Close or an Abort can arrive while the failed connection is still going.
/// </summary>
public sealed class ConnectorActorSpec(ITestOutputHelper output) : LanTestKit(output: output), IDisposable
{
    private static readonly ReconnectSettings QuickRetry = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), 0);
    private static readonly ReconnectSettings NoRetryInThisSpec = new(TimeSpan.FromHours(1), TimeSpan.FromHours(1), 0);

    // Lets the stand-in connection finish stopping; open unless a spec closes it.
    private readonly ManualResetEventSlim _lastStep = new(initialState: true);

    public new void Dispose()
    {
        _lastStep.Set();
        _lastStep.Dispose();
        base.Dispose();
    }

    private (IActorRef Connector, Akka.TestKit.TestProbe Connections) StartConnector(ReconnectSettings reconnect)
    {
        var connections = CreateTestProbe();
        var connector = Sys.ActorOf(ConnectorActor.Create(Props.Create(() => new StandInConnection(connections.Ref, _lastStep)), reconnect));
        Watch(connector);
        return (connector, connections);
    }

    [Fact]
    public void AConnectionThatFailed_IsReplaced_AfterTheBackOff_WithoutAnErrorInTheLog()
    {
        var (connector, connections) = StartConnector(QuickRetry);
        var first = connections.ExpectMsg<ConnectionStarted>().Connection;
        var second = EventFilter.Error().Expect(0, () =>
        {
            first.Tell(StandInConnection.Fail);
            connections.ExpectMsg<ConnectionStopping>();
            return connections.ExpectMsg<ConnectionStarted>().Connection;
        });
        Assert.NotEqual(first, second);
        connector.Tell(new Close("done"));
        connections.ExpectMsg<CloseHeard>();
        ExpectTerminated(connector);
    }

    [Fact]
    public void AConnectionThatBrokeTheProtocol_IsNotReplaced_AndTheConnectorStops()
    {
        var (connector, connections) = StartConnector(QuickRetry);
        var connection = connections.ExpectMsg<ConnectionStarted>().Connection;
        EventFilter.Error(start: "The connection failed and is not replaced").ExpectOne(() => connection.Tell(StandInConnection.BreakProtocol));
        connections.ExpectMsg<ConnectionStopping>();
        ExpectTerminated(connector);
        connections.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    // Close is what a client node sends when it stops or disconnects; Abort when it is killed.
    public static TheoryData<string> Ends => ["Close", "Abort"];

    private static object End(string end) => end == "Close" ? new Close("the client disconnected") : Abort.Instance;

    [Theory]
    [MemberData(nameof(Ends))]
    public void ACloseOrAbortWhileTheFailedConnectionIsStillStopping_StopsTheConnector_InsteadOfConnectingAgain(string end)
    {
        var (connector, connections) = StartConnector(QuickRetry);
        var first = connections.ExpectMsg<ConnectionStarted>().Connection;
        _lastStep.Reset();
        first.Tell(StandInConnection.Fail);
        // The connector has decided to stop the failed connection, which is now held in its PostStop.
        connections.ExpectMsg<ConnectionStopping>();
        connector.Tell(End(end));
        AwaitConnectorHasRead(connector);
        _lastStep.Set();
        // Akka's back-off supervisor forwarded a Close to the dying connection and connected again: the new
        // connection then never heard it and was cut off without DISCONNECT when the client node gave up waiting.
        ExpectTerminated(connector);
        connections.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Theory]
    [MemberData(nameof(Ends))]
    public void ACloseOrAbortBetweenTwoAttempts_StopsTheConnector_WithoutAnotherAttempt(string end)
    {
        var (connector, connections) = StartConnector(NoRetryInThisSpec);
        var first = connections.ExpectMsg<ConnectionStarted>().Connection;
        Watch(first);
        first.Tell(StandInConnection.Fail);
        ExpectTerminated(first);
        AwaitConnectorHasRead(connector);
        connector.Tell(End(end));
        ExpectTerminated(connector);
    }

    [Fact]
    public void ACloseToARunningConnection_ReachesIt_AndTheConnectorStopsWithIt()
    {
        var (connector, connections) = StartConnector(QuickRetry);
        connections.ExpectMsg<ConnectionStarted>();
        connector.Tell(new Close("the client disconnected"));
        Assert.Equal("the client disconnected", connections.ExpectMsg<CloseHeard>().Reason);
        connections.ExpectMsg<ConnectionStopping>();
        ExpectTerminated(connector);
    }

    [Fact]
    public void TheWaitBeforeAnAttempt_DoublesFromMinBackoff_UpToMaxBackoff_AndAddsAtMostTheRandomFactor()
    {
        var exact = new ReconnectSettings(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), 0);
        Assert.Equal(
            [100, 200, 400, 800, 1000, 1000, 1000],
            new[] { 0, 1, 2, 3, 4, 62, int.MaxValue }.Select(failures => ConnectorActor.Wait(exact, failures).TotalMilliseconds));
        var jittered = exact with { RandomFactor = 0.5 };
        Assert.All(Enumerable.Range(0, 100), _ => Assert.InRange(ConnectorActor.Wait(jittered, 1).TotalMilliseconds, 200, 300));
        Assert.All(Enumerable.Range(0, 100), _ => Assert.InRange(ConnectorActor.Wait(jittered, 40).TotalMilliseconds, 1000, 1500));
    }

    // Identify is answered by the actor's cell in mailbox order: once it is answered, everything told before it was read.
    private void AwaitConnectorHasRead(IActorRef connector)
    {
        connector.Tell(new Identify("read"), TestActor);
        ExpectMsg<ActorIdentity>();
    }

    private sealed record ConnectionStarted(IActorRef Connection);

    private sealed record ConnectionStopping;

    private sealed record CloseHeard(string? Reason);

    /// <summary>Stands in for a connection: fails, breaks the protocol or closes when told, and tells the probe.</summary>
    private sealed class StandInConnection : ReceiveActor
    {
        public const string Fail = "fail";
        public const string BreakProtocol = "break the protocol";
        private readonly IActorRef _probe;
        private readonly ManualResetEventSlim _lastStep;

        public StandInConnection(IActorRef probe, ManualResetEventSlim lastStep)
        {
            _probe = probe;
            _lastStep = lastStep;
            Receive<string>(command => command == Fail, _ => throw new ConnectionFailedException(DisconnectReason.ServerClosed, "the stand-in server closed"));
            Receive<string>(command => command == BreakProtocol, _ => throw new ProtocolException("the stand-in server broke the protocol"));
            Receive<Close>(close =>
            {
                _probe.Tell(new CloseHeard(close.Reason));
                Context.Stop(Self);
            });
            Receive<Abort>(_ => Context.Stop(Self));
        }

        protected override void PreStart() => _probe.Tell(new ConnectionStarted(Self));

        protected override void PostStop()
        {
            _probe.Tell(new ConnectionStopping());
            // Held here by the spec: the connector has decided this connection's fate but not yet heard it ended.
            _lastStep.Wait(TimeSpan.FromSeconds(10));
        }
    }
}
