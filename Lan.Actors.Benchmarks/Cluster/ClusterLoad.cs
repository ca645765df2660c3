using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster;
using Lan.Actors.Cluster;
using Lan.Actors.Handlers;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Lan.Actors.Benchmarks.Cluster;

/// <summary>
/// <c>--cluster-load</c>: the time N cluster nodes on loopback take to be Up (N = 3, 5; TLS, the default stable margin),
/// and the chat room's fan-out with clients spread over a cluster of 3 against the same clients on one plain room node,
/// measured in the same run (lines delivered per second, latency from the speaker's send to each member's read).
/// </summary>
internal static class ClusterLoad
{
    private const int Clients = 30;
    private const int LinesPerSecondEach = 10; // under the room's 20 a second per member, so none is dropped
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(6);

    public static async Task RunAsync()
    {
        foreach (var count in new[] { 3, 5 })
        {
            var (formed, margin) = await FormAsync(count);
            Console.WriteLine($"form N={count}: all Up after {formed.TotalMilliseconds:0} ms from start (stable-margin {margin.TotalMilliseconds:0} ms: {(formed - margin).TotalMilliseconds:0} ms beyond it)");
        }

        var port = FreeUdpPort();
        var systems = new List<ActorSystem>();
        try
        {
            var nodes = new List<IPEndPoint>();
            for (var n = 0; n < 3; n++)
            {
                var node = LanClusterNode.FromConfig(Config(port, $"c{n}", "open", "lan.cluster.stable-margin = 1s"));
                var system = node.CreateSystem();
                systems.Add(system);
                nodes.Add((await node.StartAsync(system, node.ChatRoom())).LocalEndPoint);
            }

            await UntilAsync(() => systems.All(system => AkkaCluster.Get(system).State.Members.Count(m => m.Status == MemberStatus.Up) == 3));
            var spread = await FanOutAsync(Enumerable.Range(0, Clients).Select(i => nodes[i % 3]).ToList());

            var single = ActorSystem.Create("single", LanConfiguration.Loopback("akka.loglevel = WARNING").ToAkkaConfig());
            systems.Add(single);
            var room = await LanNode.StartServerAsync(single, LanNodeSettings.FromConfig(Config(FreeUdpPort(), "single", "open", "")), Props.Create<ChatRoomHandler>());
            var one = await FanOutAsync(Enumerable.Repeat(room.LocalEndPoint, Clients).ToList());

            Console.WriteLine($"fan-out, {Clients} clients each saying {LinesPerSecondEach} lines/s, every line to all {Clients}:");
            Console.WriteLine($"  one room node:      {one.Rate,8:0} lines delivered/s  latency p50 {one.P50:0.0} ms  p99 {one.P99:0.0} ms");
            Console.WriteLine($"  cluster of 3 nodes: {spread.Rate,8:0} lines delivered/s  latency p50 {spread.P50:0.0} ms  p99 {spread.P99:0.0} ms");
            Console.WriteLine($"  ratio cluster/one: rate {spread.Rate / one.Rate:0.00}, p50 {spread.P50 / one.P50:0.00}x");
        }
        finally
        {
            await Task.WhenAll(systems.Select(system => system.Terminate()));
        }
    }

    private static HoconConfig Config(int discoveryPort, string name, string mode, string more) => LanConfiguration.Loopback($"""
        {more}
        lan.node.name = {name}
        lan.node.identity-dir = ephemeral
        lan.security.mode = {mode}
        lan.tcp.port = 0
        lan.discovery.port = {discoveryPort}
        lan.cluster.name = bench-{discoveryPort}
        akka.loglevel = WARNING
        """);

    private static async Task<(TimeSpan Formed, TimeSpan Margin)> FormAsync(int count)
    {
        var port = FreeUdpPort();
        var nodes = Enumerable.Range(0, count).Select(n => LanClusterNode.FromConfig(Config(port, $"f{n}", "tls", ""))).ToList();
        var started = Stopwatch.StartNew();
        var systems = nodes.Select(node => node.CreateSystem()).ToList();
        try
        {
            await Task.WhenAll(nodes.Select((node, n) => node.StartAsync(systems[n], node.ChatRoom())));
            await UntilAsync(() => systems.All(system => AkkaCluster.Get(system).State.Members.Count(m => m.Status == MemberStatus.Up) == count));
            return (started.Elapsed, nodes[0].Cluster.StableMargin);
        }
        finally
        {
            await Task.WhenAll(systems.Select(system => system.Terminate()));
        }
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var limit = Stopwatch.StartNew();
        while (!condition())
        {
            if (limit.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new TimeoutException("the cluster did not form within a minute");
            }

            await Task.Delay(20);
        }
    }

    private sealed record FanOut(double Rate, double P50, double P99);

    private static async Task<FanOut> FanOutAsync(IReadOnlyList<IPEndPoint> servers)
    {
        var sockets = new List<Socket>();
        foreach (var (server, n) in servers.Select((server, n) => (server, n)))
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(server);
            await SendAsync(socket, Packet.From(new Hello($"load-{n}", $"load-{n}", "lan")));
            sockets.Add(socket);
        }

        // Everyone's JOINED has crossed the cluster (members are published at once and every 2 s).
        await Task.Delay(TimeSpan.FromSeconds(3));
        using var stop = new CancellationTokenSource();
        var latencies = new List<double>[sockets.Count];
        var readers = sockets.Select((socket, n) => ReadLinesAsync(socket, latencies[n] = [], stop.Token)).ToList();
        var clock = Stopwatch.StartNew();
        var speakers = sockets.Select(socket => SpeakAsync(socket, Measure)).ToList();
        await Task.WhenAll(speakers);
        // The last lines have a second to arrive; deliveries are counted over the whole time.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll(readers.Select(reader => reader.ContinueWith(_ => { }, TaskScheduler.Default)));
        var all = latencies.SelectMany(list => list).Order().ToArray();
        return new FanOut(all.Length / elapsed.TotalSeconds, all[all.Length / 2], all[(int)(all.Length * 0.99)]);
    }

    private static async Task SpeakAsync(Socket socket, TimeSpan time)
    {
        var clock = Stopwatch.StartNew();
        for (var line = 0; clock.Elapsed < time; line++)
        {
            await SendAsync(socket, Packet.From(new TextMessage(Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture))));
            var due = TimeSpan.FromSeconds((line + 1.0) / LinesPerSecondEach);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }
        }
    }

    private static async Task SendAsync(Socket socket, Packet packet)
    {
        var writer = new ArrayBufferWriter<byte>();
        new FrameEncoder().Write([packet], writer);
        await socket.SendAsync(writer.WrittenMemory, SocketFlags.None);
    }

    private static async Task ReadLinesAsync(Socket socket, List<double> latencies, CancellationToken stop)
    {
        var head = new byte[4];
        var body = new byte[64 * 1024];
        using var stream = new NetworkStream(socket, ownsSocket: false);
        while (!stop.IsCancellationRequested)
        {
            await stream.ReadExactlyAsync(head, stop);
            var length = BinaryPrimitives.ReadInt32BigEndian(head);
            await stream.ReadExactlyAsync(body.AsMemory(0, length), stop);
            var packet = Packet.Parse(body.AsSpan(0, length));
            if (packet.Type == PacketTypes.Message && long.TryParse(packet.GetString("TEXT"), NumberStyles.None, CultureInfo.InvariantCulture, out var sent))
            {
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }
        }
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
