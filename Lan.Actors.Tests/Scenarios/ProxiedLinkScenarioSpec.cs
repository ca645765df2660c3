using Akka.Actor;
using Akka.TestKit;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Scenarios;

/// <summary>
/// Our nodes through the proxy: a client node (which answers PINGs) talks to an echo server node across latency
/// and slicing. Each spec checks the fault acted as well as what the nodes made of it. The heartbeat keeps its
/// default timing here, so a loaded machine cannot end a connection the spec still needs.
/// </summary>
public sealed class ProxiedLinkScenarioSpec : LanTestKit
{
    private const string Hocon = """
    lan.node { name = chaos-client, app = chaos-spec }
    lan.tcp { port = 0, close-timeout = 300ms }
    """;

    private const int Seed = 42;
    private readonly ITestOutputHelper _output;

    public ProxiedLinkScenarioSpec(ITestOutputHelper output)
        : base(Hocon, output) => _output = output;

    private LanNodeSettings Settings => LanNodeSettings.FromConfig(LanConfig);

    private ChaosProxy StartProxy(LanServer server) => ChaosProxy.Start(server.LocalEndPoint, Seed, _output.WriteLine);

    /// <summary>Starts a client node through the proxy; its connection, once both sides said HELLO.</summary>
    private IActorRef ConnectThrough(ChaosProxy proxy, TestProbe clientProbe)
    {
        LanNode.StartClient(Sys, Settings, Forwarder.To(clientProbe)).Connect(proxy.EndPoint);
        var connection = clientProbe.ExpectMsg<Connected>(TimeSpan.FromSeconds(10)).Connection;
        clientProbe.ExpectMsg<Identified>(TimeSpan.FromSeconds(10));
        return connection;
    }

    [Fact]
    public async Task Latency50msJitter10ms_BothWays_EchoedPacketsArriveInOrder_NothingLost()
    {
        var server = await LanNode.StartServerAsync(Sys, Settings, Props.Create<EchoHandler>());
        await using var proxy = StartProxy(server);
        var latency = new LatencyFault(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(10));
        var upstream = proxy.Upstream.Add(latency);
        var downstream = proxy.Downstream.Add(latency);
        var clientProbe = CreateTestProbe();
        var connection = ConnectThrough(proxy, clientProbe);

        for (var i = 0; i < 100; i++)
        {
            connection.Tell(new Send(RawPeer.Message($"packet {i}")));
        }

        for (var i = 0; i < 100; i++)
        {
            var received = clientProbe.ExpectMsg<Received>(TimeSpan.FromSeconds(10));
            Assert.Equal($"packet {i}", received.Packet.GetString("TEXT"));
        }

        _output.WriteLine(upstream.ToString());
        _output.WriteLine(downstream.ToString());
        // The handshake alone crossed each direction at least once.
        Assert.True(upstream.Applied >= 2, upstream.ToString());
        Assert.True(downstream.Applied >= 2, downstream.ToString());
    }

    [Fact]
    public async Task Slicing_ThreeBytePieces_BothWays_EveryFrameStillDecodes()
    {
        var server = await LanNode.StartServerAsync(Sys, Settings, Props.Create<EchoHandler>());
        await using var proxy = StartProxy(server);
        // No pause between slices: dozens of timer waits per frame would make the spec as slow as the machine is busy.
        var upstream = proxy.Upstream.Add(new SliceFault(MaxBytes: 3));
        var downstream = proxy.Downstream.Add(new SliceFault(MaxBytes: 3));
        var clientProbe = CreateTestProbe();
        var connection = ConnectThrough(proxy, clientProbe);

        var frameLength = RawPeer.Frame(RawPeer.Message("sliced 0")).Length;
        for (var i = 0; i < 5; i++)
        {
            connection.Tell(new Send(RawPeer.Message($"sliced {i}")));
            Assert.Equal($"sliced {i}", clientProbe.ExpectMsg<Received>(TimeSpan.FromSeconds(10)).Packet.GetString("TEXT"));
        }

        // Each of the five frames crossed each way in pieces of three bytes at most (a slice is counted once
        // written, which may be a moment after the client read it).
        var pieces = 5 * ((frameLength + 2) / 3);
        _output.WriteLine($"a frame is {frameLength} bytes; {upstream}; {downstream}");
        await upstream.WhenApplied(pieces).WaitAsync(TimeSpan.FromSeconds(10));
        await downstream.WhenApplied(pieces).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
