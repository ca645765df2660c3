using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.Discovery;

namespace Lan.Actors.Benchmarks.Tcp;

/// <summary>
/// <c>--discovery-latency</c>: how long zero-configuration takes on loopback (127.255.255.255, a UDP port
/// chosen for the run): server start to client connected, client start to connected, and a silent server
/// to <see cref="ServerLost"/>. Bounded: a fixed number of runs, each given up after ten seconds.
/// </summary>
internal static class DiscoveryLatency
{
    private const int Runs = 30;

    public static async Task RunAsync()
    {
        var port = FreeUdpPort();
        var config = LanConfiguration.Parse(string.Create(CultureInfo.InvariantCulture, $$"""
            lan.tcp { bind-host = 127.0.0.1, port = 0, close-timeout = 200ms }
            lan.discovery { port = {{port}}, bind-address = "127.255.255.255", broadcast-address = "127.255.255.255", announce-interval = 500ms, expire-after = 2s }
            lan.client.auto-connect = first
            lan.node.identity-dir = ephemeral
            akka.loglevel = WARNING
            """), "discovery-latency");
        using var system = LanActorSystem.Create("discovery-latency", config);
        var settings = LanNodeSettings.FromConfig(config);
        var serverFirst = new List<double>();
        var clientFirst = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            serverFirst.Add(await ClientThenServerAsync(system, settings, run));
            clientFirst.Add(await ServerThenClientAsync(system, settings, run));
        }

        var lost = await SilentServerLostAsync(system, settings);
        Console.WriteLine($"discovery on loopback, announce-interval 500ms, expire-after 2s, {Runs} runs each:");
        Console.WriteLine($"| from | to | p50 | p99 | max |");
        Console.WriteLine($"|---|---|---|---|---|");
        Console.WriteLine(Row("server start (client already running)", "client connected", serverFirst));
        Console.WriteLine(Row("client start (server already running)", "client connected", clientFirst));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| last announcement of a killed server (no BYE) | ServerLost | {lost:F0} ms | | |"));
        await system.Terminate();
    }

    private static async Task<double> ClientThenServerAsync(ActorSystem system, LanNodeSettings settings, int run)
    {
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = LanNode.StartClient(system, Own(settings, $"client-a{run}"), Props.Create(() => new ConnectedSignal(connected)), $"client-a{run}");
        await Task.Delay(200); // the client is up and asking before the server exists
        var started = Stopwatch.StartNew();
        var server = await LanNode.StartServerAsync(system, Own(settings, $"server-a{run}"), Props.Create<EchoHandler>(), new ServerOptions { Name = $"server-a{run}" });
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var elapsed = started.Elapsed.TotalMilliseconds;
        await client.StopAsync(TimeSpan.FromSeconds(5));
        await server.StopAsync(TimeSpan.FromSeconds(5));
        return elapsed;
    }

    private static async Task<double> ServerThenClientAsync(ActorSystem system, LanNodeSettings settings, int run)
    {
        var server = await LanNode.StartServerAsync(system, Own(settings, $"server-b{run}"), Props.Create<EchoHandler>(), new ServerOptions { Name = $"server-b{run}" });
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = Stopwatch.StartNew();
        var client = LanNode.StartClient(system, Own(settings, $"client-b{run}"), Props.Create(() => new ConnectedSignal(connected)), $"client-b{run}");
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var elapsed = started.Elapsed.TotalMilliseconds;
        await client.StopAsync(TimeSpan.FromSeconds(5));
        await server.StopAsync(TimeSpan.FromSeconds(5));
        return elapsed;
    }

    // A killed server sends no BYE: a socket of our own plays one that announces once and falls silent.
    private static async Task<double> SilentServerLostAsync(ActorSystem system, LanNodeSettings settings)
    {
        var lost = new TaskCompletionSource<ServerLost>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = system.ActorOf(Props.Create(() => new LostSignal(lost)));
        system.EventStream.Subscribe(listener, typeof(ServerLost));
        var client = LanNode.StartClient(system, Own(settings, "client-lost") with { AutoConnect = new AutoConnect(false, null) }, Props.Create<EchoHandler>(), "client-lost");
        await Task.Delay(300);
        using var ghost = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
        ghost.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var hello = new DatagramCodec().Encode(Packet.From(new ServerHello("ghost", "ghost", settings.Node.App, 9, Instance: "1")));
        ghost.SendTo(hello.Span, new IPEndPoint(IPAddress.Parse("127.255.255.255"), settings.Discovery.Port));
        var silentSince = Stopwatch.StartNew();
        await lost.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var elapsed = silentSince.Elapsed.TotalMilliseconds;
        await client.StopAsync(TimeSpan.FromSeconds(5));
        return elapsed;
    }

    // Nodes in one process are still different nodes: each needs an id of its own, or discovery takes the
    // other's datagrams for its own and ignores them.
    private static LanNodeSettings Own(LanNodeSettings settings, string name) =>
        settings with { Node = settings.Node with { Id = name, Name = name } };

    private static string Row(string from, string to, List<double> samples)
    {
        var sorted = samples.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        return string.Create(CultureInfo.InvariantCulture, $"| {from} | {to} | {At(0.5):F0} ms | {At(0.99):F0} ms | {sorted[^1]:F0} ms |");
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private sealed class ConnectedSignal : ReceiveActor
    {
        public ConnectedSignal(TaskCompletionSource connected)
        {
            Receive<Connected>(_ => connected.TrySetResult());
            ReceiveAny(_ => { });
        }
    }

    private sealed class LostSignal : ReceiveActor
    {
        public LostSignal(TaskCompletionSource<ServerLost> lost) => Receive<ServerLost>(message => lost.TrySetResult(message));
    }
}
