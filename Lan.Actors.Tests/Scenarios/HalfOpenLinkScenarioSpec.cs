using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Scenarios;

/// <summary>A half-open link made by the proxy's blackhole is found by the server's heartbeat, not by TCP.</summary>
public sealed class HalfOpenLinkScenarioSpec : LanTestKit
{
    private const string Hocon = """
    lan.node { name = chaos-client, app = chaos-spec }
    lan.tcp {
      port = 0
      close-timeout = 300ms
      heartbeat-interval = 200ms
      heartbeat-timeout = 1s
    }
    """;

    private readonly ITestOutputHelper _output;

    public HalfOpenLinkScenarioSpec(ITestOutputHelper output)
        : base(Hocon, output) => _output = output;

    [Fact]
    public async Task Blackhole_Upstream_IsFoundByTheServersHeartbeat_AsHeartbeatTimeout()
    {
        var settings = LanNodeSettings.FromConfig(LanConfig);
        var serverProbe = CreateTestProbe();
        var clientProbe = CreateTestProbe();
        var server = await LanNode.StartServerAsync(Sys, settings, Forwarder.To(serverProbe));
        await using var proxy = ChaosProxy.Start(server.LocalEndPoint, seed: 42, log: _output.WriteLine);
        LanNode.StartClient(Sys, settings, Forwarder.To(clientProbe)).Connect(proxy.EndPoint);
        var connection = clientProbe.ExpectMsg<Connected>(TimeSpan.FromSeconds(10)).Connection;
        var atServer = serverProbe.ExpectMsg<Connected>(TimeSpan.FromSeconds(10)).Connection;
        serverProbe.ExpectMsg<Identified>(TimeSpan.FromSeconds(10));
        connection.Tell(new Send(RawPeer.Message("before")));
        Assert.Equal("before", serverProbe.ExpectMsg<Received>().Packet.GetString("TEXT"));

        // From now on what the client sends (this packet, its PONGs) vanishes; its socket stays open and healthy.
        var blackhole = proxy.Upstream.Add(new BlackholeFault());
        connection.Tell(new Send(RawPeer.Message("into the blackhole")));
        await blackhole.WhenApplied().WaitAsync(TimeSpan.FromSeconds(10));

        // Nothing reaches the server's handler before the heartbeat gives up on the link.
        var disconnected = serverProbe.ExpectMsg<Disconnected>(TimeSpan.FromSeconds(10));
        Assert.Equal(atServer, disconnected.Connection);
        Assert.Equal(DisconnectReason.HeartbeatTimeout, disconnected.Reason);
        _output.WriteLine(blackhole.ToString());
    }
}
