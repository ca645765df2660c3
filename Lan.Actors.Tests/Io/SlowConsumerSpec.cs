using Akka.Actor;
using Akka.TestKit;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>
/// A peer that never reads cannot make the node hold its answers: the send queue is bounded in bytes
/// (<c>lan.tcp.send-queue-bytes</c>) as well as packets, and past <c>lan.tcp.slow-consumer-grace</c> of refusals with
/// nothing written the peer is dropped as <see cref="DisconnectReason.SlowConsumer"/>. Time is virtual.
/// </summary>
public sealed class SlowConsumerSpec : LanTestKit
{
    private const string Config = """
    akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
    lan.tcp {
      port = 0
      heartbeat-interval = 30s, heartbeat-timeout = 90s, frame-timeout = 60s, close-timeout = 10s
      send-queue-limit = 1000
      send-queue-bytes = 1MiB
      slow-consumer-grace = 40s
    }
    """;

    private const int Sends = 200;
    private readonly ITestOutputHelper _output;

    public SlowConsumerSpec(ITestOutputHelper output)
        : base(Config, output) => _output = output;

    private TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    [Fact]
    public async Task APeerThatNeverReads_HasItsSendsRefused_OnceTheirBytesPassTheLimit_ThoughFewPacketsWait_ThenIsDroppedAsSlowConsumer()
    {
        var settings = LanNodeSettings.FromConfig(LanConfig);
        var server = await LanNode.StartServerAsync(Sys, settings with { Discovery = settings.Discovery with { Enabled = false } }, Forwarder.To(TestActor));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        peer.Socket.ReceiveBufferSize = 4096;
        var connection = ExpectMsg<Connected>().Connection;
        var quarterMiB = Packet.Create("BLOB").WithContent(new byte[256 * 1024]).Build();

        // 50 MiB of answers in 200 packets, far below send-queue-limit: only the byte bound can refuse them.
        for (var i = 0; i < Sends; i++)
        {
            connection.Tell(new Send(quarterMiB), TestActor);
        }

        // Once the connection answers this, it has taken every Send before it, and told each refusal already.
        await connection.Ask<PeerStats>(GetPeerStats.Instance, TimeSpan.FromSeconds(10));
        var refused = ReceiveWhile(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200), message => message as SendRefused, Sends).OfType<SendRefused>().ToList();
        _output.WriteLine($"{refused.Count} of {Sends} sends refused");
        Assert.All(refused, refusal => Assert.Equal(SendRefusal.QueueFull, refusal.Reason));
        // At most 1 MiB queued, one batch in flight and what the kernel's buffers took (a few MiB on loopback).
        Assert.True(refused.Count >= Sends - 40, $"only {refused.Count} of {Sends} sends were refused");

        // The first answers went into the kernel's buffers; more, round after round, until a write is stuck and
        // every answer of a round is refused: the queue is full and stays full.
        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < 10; i++)
            {
                connection.Tell(new Send(quarterMiB), TestActor);
            }

            await connection.Ask<PeerStats>(GetPeerStats.Instance, TimeSpan.FromSeconds(10));
            if (ReceiveWhile(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(300), message => message as SendRefused, 10).Count == 10)
            {
                break;
            }
        }

        Clock.Advance(TimeSpan.FromSeconds(30));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Clock.Advance(TimeSpan.FromSeconds(15));
        var dropped = ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.SlowConsumer, dropped.Reason);
        Assert.Contains("lan.tcp.slow-consumer-grace = 40s", dropped.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APeerThatReadsAfterRefusals_IsNotDropped_ForItsWritesCompleteAgain()
    {
        var settings = LanNodeSettings.FromConfig(LanConfig);
        var server = await LanNode.StartServerAsync(Sys, settings with { Discovery = settings.Discovery with { Enabled = false } }, Forwarder.To(TestActor));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var connection = ExpectMsg<Connected>().Connection;
        var quarterMiB = Packet.Create("BLOB").WithContent(new byte[256 * 1024]).Build();
        for (var i = 0; i < Sends; i++)
        {
            connection.Tell(new Send(quarterMiB), TestActor);
        }

        var refused = ReceiveWhile(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(500), message => message as SendRefused, Sends).Count;
        Assert.True(refused > 0, "no send was refused");

        // The peer reads everything that was accepted: each completed write stops the grace clock.
        for (var i = 0; i < Sends - refused; i++)
        {
            Assert.Equal("BLOB", (await peer.ReadAsync())?.Type);
        }

        Clock.Advance(TimeSpan.FromSeconds(45));
        connection.Tell(new Send(RawPeer.Message("still connected")), TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal("still connected", (await peer.ReadAsync())?.GetString("TEXT"));
    }
}
