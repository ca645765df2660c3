using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;
using Lan.Actors.Discovery;

namespace Lan.Actors.Tests.Discovery;

/// <summary>
/// What discovery sends at each tick of its timers, with Akka's TestScheduler advancing time: announcements,
/// repeated questions while no server is known, and the pace and order of a sweep.
/// </summary>
public sealed class DiscoveryScheduleSpec(ITestOutputHelper output) : LanTestKit(
    """
    akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
    lan.node.app = schedule
    lan.discovery { announce-interval = 1s, expire-after = 1h }
    """, output)
{
    private static readonly DatagramCodec Codec = new();

    private TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    private DiscoverySettings Discovery => LanNodeSettings.FromConfig(LanConfig).Discovery;

    private async Task<IActorRef> StartAsync(DiscoveryRole role, DiscoverySettings? settings = null)
    {
        var actor = Sys.ActorOf(DiscoveryActor.Create(settings ?? Discovery, ProtocolSettings.Default, new NodeSettings("me", "schedule", "me-id"), role, 4321));
        await actor.Ask<DiscoveryStats>(GetDiscoveryStats.Instance, TimeSpan.FromSeconds(3));
        return actor;
    }

    private static Socket Eavesdropper(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(IPAddress.Parse("127.255.255.255"), port));
        return socket;
    }

    private static async Task<string?> NextTypeAsync(Socket socket, int milliseconds = 5000)
    {
        using var limit = new CancellationTokenSource(milliseconds);
        var buffer = new byte[2048];
        try
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
            return Codec.Decode(buffer.AsSpan(0, read)).Type;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task AServer_AnnouncesAtEachInterval()
    {
        using var eavesdropper = Eavesdropper(Discovery.Port);
        await StartAsync(DiscoveryRole.Server);
        Assert.Equal(PacketTypes.ServerHello, await NextTypeAsync(eavesdropper));
        Scheduler.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Null(await NextTypeAsync(eavesdropper, 200));
        Scheduler.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(PacketTypes.ServerHello, await NextTypeAsync(eavesdropper));
    }

    [Fact]
    public async Task AClient_AsksAgainAtEachInterval_WhileItKnowsNoServer_AndThenStops()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(ServerFound));
        using var eavesdropper = Eavesdropper(Discovery.Port);
        await StartAsync(DiscoveryRole.Client);
        Assert.Equal(PacketTypes.ClientHello, await NextTypeAsync(eavesdropper));
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(PacketTypes.ClientHello, await NextTypeAsync(eavesdropper));

        using var fake = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
        fake.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        fake.SendTo(Codec.Encode(Packet.From(new ServerHello("s", "s", "schedule", 4000))).Span, eavesdropper.LocalEndPoint!);
        Assert.Equal(PacketTypes.ServerHello, await NextTypeAsync(eavesdropper));
        ExpectMsg<ServerFound>();
        Scheduler.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await NextTypeAsync(eavesdropper, 300));
    }

    [Fact]
    public async Task ASweepingClient_ProbesThePortsInOrder_AtItsPace_AndStartsOverAtTheEnd()
    {
        // Four free ports in a row, each with a listener of the spec's own.
        var (start, listeners) = FreeRange(4);
        try
        {
            var settings = Discovery with { Mode = DiscoveryMode.Sweep, Sweep = new SweepSettings(start, start + 3, ProbesPerSecond: 40) };
            var client = await StartAsync(DiscoveryRole.Client, settings);
            // 40 a second is 2 each 50 ms tick; the first tick is due at once.
            Scheduler.Advance(TimeSpan.Zero);
            await ExpectProbesAsync(listeners, [0, 1]);
            var stats = await client.Ask<DiscoveryStats>(GetDiscoveryStats.Instance, TimeSpan.FromSeconds(3));
            var hello = Codec.Encode(Packet.From(new ClientHello("me-id", "me", "schedule"))).Length;
            Assert.Equal((2, 2L * hello), (stats.DatagramsOut, stats.BytesOut));
            Scheduler.Advance(TimeSpan.FromMilliseconds(50));
            await ExpectProbesAsync(listeners, [2, 3]);
            Scheduler.Advance(TimeSpan.FromMilliseconds(50));
            await ExpectProbesAsync(listeners, [0, 1]);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    [Fact]
    public async Task ASlowSweep_StillProbesOnePortPerTick()
    {
        var (start, listeners) = FreeRange(2);
        try
        {
            var settings = Discovery with { Mode = DiscoveryMode.Sweep, Sweep = new SweepSettings(start, start + 1, ProbesPerSecond: 1) };
            await StartAsync(DiscoveryRole.Client, settings);
            Scheduler.Advance(TimeSpan.Zero);
            await ExpectProbesAsync(listeners, [0]);
            Scheduler.Advance(TimeSpan.FromMilliseconds(50));
            await ExpectProbesAsync(listeners, [1]);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    private static async Task ExpectProbesAsync(Socket[] listeners, int[] probed)
    {
        foreach (var index in probed)
        {
            Assert.Equal(PacketTypes.ClientHello, await NextTypeAsync(listeners[index]));
        }

        for (var index = 0; index < listeners.Length; index++)
        {
            if (!probed.Contains(index))
            {
                Assert.Null(await NextTypeAsync(listeners[index], 100));
            }
        }
    }

    private static (int Start, Socket[] Listeners) FreeRange(int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            var start = Random.Shared.Next(40_000, 60_000);
            var listeners = new List<Socket>();
            try
            {
                for (var port = start; port < start + count; port++)
                {
                    listeners.Add(Eavesdropper(port));
                }

                return (start, [.. listeners]);
            }
            catch (SocketException) when (attempt < 20)
            {
                foreach (var listener in listeners)
                {
                    listener.Dispose();
                }
            }
        }
    }
}
