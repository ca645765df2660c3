using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;
using Lan.Actors.Discovery;

namespace Lan.Actors.Tests.Scenarios;

/// <summary>
/// Heartbeats, frame time-outs, discovery expiry and reconnect back-off under Akka.TestKit's TestScheduler:
/// minutes of protocol time pass when the spec says so, and not a moment before, with no wall-clock waiting.
/// </summary>
public sealed class VirtualTimeSpec(ITestOutputHelper output) : LanTestKit(
    """
    akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
    lan.tcp {
      heartbeat-interval = 30s, heartbeat-timeout = 90s, frame-timeout = 60s, close-timeout = 10s
      reconnect { min-backoff = 40s, max-backoff = 40s, random-factor = 0 }
    }
    lan.discovery { announce-interval = 20s, expire-after = 60s }
    """, output)
{
    private TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    private LanNodeSettings Settings => LanNodeSettings.FromConfig(LanConfig);

    /// <summary>Moves virtual time on in small steps, so that each periodic timer fires in every step it is due.</summary>
    private void Advance(TimeSpan by)
    {
        var step = TimeSpan.FromSeconds(5);
        for (var passed = TimeSpan.Zero; passed < by; passed += step)
        {
            Clock.Advance(step);
            // Let the actors handle what fired before time moves again.
            ExpectNoMsg(TimeSpan.FromMilliseconds(20));
        }
    }

    private Task<LanServer> StartServer(PacketProbe handler) =>
        LanNode.StartServerAsync(Sys, Settings with { Discovery = Settings.Discovery with { Enabled = false } }, handler.HandlerProps);

    [Fact]
    public async Task ASilentPeer_IsPingedAfterTheInterval_AndDroppedAfterTheTimeout_OnlyAsVirtualTimePasses()
    {
        var handler = new PacketProbe(this);
        var server = await StartServer(handler);
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        handler.ExpectConnected();

        Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(0, peer.Socket.Available);
        Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(PacketTypes.Ping, (await peer.ReadAsync(skipPings: false))?.Type);

        Advance(TimeSpan.FromSeconds(50));
        handler.Events.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Advance(TimeSpan.FromSeconds(10));
        handler.ExpectDisconnected(DisconnectReason.HeartbeatTimeout);
    }

    [Fact]
    public async Task APeerAnsweringEveryPing_StaysConnected_LongPastTheHeartbeatTimeout_AndItsPongsNeverReachTheHandler()
    {
        var handler = new PacketProbe(this);
        var server = await StartServer(handler);
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        handler.ExpectConnected();

        // Five minutes of virtual time, more than three heartbeat time-outs (90 s): each PING answered as it comes.
        for (var minute = 0; minute < 5; minute++)
        {
            Advance(TimeSpan.FromSeconds(35));
            Assert.Equal(PacketTypes.Ping, (await peer.ReadAsync(skipPings: false))?.Type);
            await peer.SendAsync(Packet.From(new Pong()));
            Advance(TimeSpan.FromSeconds(25));
        }

        handler.Events.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        await peer.SendAsync(RawPeer.Message("still here"));
        Assert.Equal("still here", handler.ExpectPacket("MESSAGE").GetString("TEXT"));
    }

    [Fact]
    public async Task AHalfSentFrame_IsCutOffAtTheFrameTimeout_OnlyAsVirtualTimePasses()
    {
        var handler = new PacketProbe(this);
        var server = await StartServer(handler);
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        handler.ExpectConnected();
        var frame = RawPeer.Frame(RawPeer.Message("never finished"));
        await peer.SendBytesAsync(frame[..(frame.Length / 2)]);

        Advance(TimeSpan.FromSeconds(50));
        handler.Events.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        // The deadline is checked every 15 s, and the bytes may have landed a step after time began to move.
        Advance(TimeSpan.FromSeconds(25));
        handler.ExpectDisconnected(DisconnectReason.FrameTimeout);
    }

    [Fact]
    public async Task AKilledServer_IsLostAfterExpireAfter_OnlyAsVirtualTimePasses()
    {
        var lost = CreateTestProbe();
        Sys.EventStream.Subscribe(lost.Ref, typeof(ServerLost));
        await using var lan = new LoopbackLan(this);
        var server = await lan.StartServer("ghost", Props.Create<EchoHandler>());
        lan.StartProbeClient("ghost").ExpectIdentified();

        await lan.KillServer(server);
        Advance(TimeSpan.FromSeconds(45));
        lost.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(ServerLostReason.Expired, lost.ExpectMsg<ServerLost>().Reason);
    }

    [Fact]
    public async Task AClientThatFindsNoServer_TriesAgainAfterItsBackoff_OnlyAsVirtualTimePasses()
    {
        var port = LanTestConfiguration.FreeTcpPort();
        var handler = new PacketProbe(this);
        var client = LanNode.StartClient(Sys, Settings with { Discovery = Settings.Discovery with { Enabled = false } }, handler.HandlerProps);
        // The first attempt is refused at once, as nothing listens yet; the back-off supervisor takes over.
        client.Connect(new IPEndPoint(IPAddress.Loopback, port));
        handler.FailedAttempts.ExpectMsg<ConnectAttemptFailed>();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen();
        var accepted = listener.AcceptAsync();

        Advance(TimeSpan.FromSeconds(30));
        Assert.False(accepted.IsCompleted, "the client tried again before its back-off had passed");
        Advance(TimeSpan.FromSeconds(15));
        using var connection = await accepted.WaitAsync(RemainingOrDefault);
        handler.ExpectConnected();
    }
}
