using Akka.TestKit;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>
/// With <c>lan.tcp.require-hello = on</c>, a peer that keeps the link alive but never says who it is is rejected after
/// <c>lan.tcp.hello-timeout</c>, and not before. Time is virtual.
/// </summary>
public sealed class HelloTimeoutSpec(ITestOutputHelper output) : LanTestKit(
    """
    akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
    lan.tcp {
      port = 0, require-hello = on, hello-timeout = 20s
      heartbeat-interval = 30s, heartbeat-timeout = 90s, frame-timeout = 60s, close-timeout = 1s
    }
    """, output)
{
    [Fact]
    public async Task APeerThatNeverSaysHello_IsRejectedAfterTheHelloTimeout_ThoughItKeepsTheLinkAlive()
    {
        var settings = LanNodeSettings.FromConfig(LanConfig);
        var server = await LanNode.StartServerAsync(Sys, settings with { Discovery = settings.Discovery with { Enabled = false } }, Forwarder.To(TestActor));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        ExpectMsg<Connected>();
        var clock = (TestScheduler)Sys.Scheduler;

        clock.Advance(TimeSpan.FromSeconds(16));
        await peer.SendAsync(Packet.From(new Pong()));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        clock.Advance(TimeSpan.FromSeconds(15));

        var reject = await peer.ReadAsync();
        Assert.Equal(PacketTypes.Reject, reject!.Type);
        Assert.Contains("no HELLO within 20s", reject.GetString("REASON"), StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(DisconnectReason.Rejected, ExpectMsg<Disconnected>().Reason);
    }
}
