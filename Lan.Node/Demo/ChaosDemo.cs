using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Nodes;

namespace Lan.Node.Demo;

/// <summary>What the demo is asked to do.</summary>
/// <param name="Clients">How many chaos clients run at any time; a finished one is replaced.</param>
/// <param name="Duration">How long clients keep being started.</param>
/// <param name="Seed">The seed of every random choice (the server's, and each client's from it).</param>
public sealed record DemoPlan(int Clients, TimeSpan Duration, int Seed);

/// <summary>How the run ended.</summary>
internal sealed record DemoOutcome(ChaosLedger Ledger, int StoppedByDemo, int PeersLeft, int ActorsLeft, int SocketsLeft)
{
    public bool Clean => Ledger.Mismatches().Count == 0 && PeersLeft == 0 && ActorsLeft == 0 && SocketsLeft == 0;
}

/// <summary>
/// The first seed's simulation over real loopback sockets in one process: a server node with
/// <see cref="ChaosServerHandler"/> and client nodes with <see cref="ChaosClientHandler"/>, found by discovery.
/// </summary>
internal static class ChaosDemo
{
    private const double DropProbability = 0.1;
    private const double CloseProbability = 0.1;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The settings that keep every byte on this machine whatever the user's file says: TCP on 127.0.0.1,
    /// discovery to 127.255.255.255 on a UDP port of the demo's own, under an app name no real node uses; in open
    /// mode, as the seed's chaos clients spoke plaintext, and with no identity written to the user's folder.
    /// </summary>
    public static string LoopbackOverrides(int discoveryPort) => $$"""
        lan.node.app = "lan-node-demo"
        lan.security.mode = open
        lan.tcp { bind-host = "127.0.0.1", port = 0, close-timeout = 1s, reconnect { min-backoff = 100ms, max-backoff = 1s } }
        lan.discovery {
          enabled = on, mode = broadcast, port = {{discoveryPort}}, interfaces = []
          bind-address = "127.255.255.255", broadcast-address = "127.255.255.255"
          announce-interval = 500ms, expire-after = 3s
        }
        """;

    public static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public static async Task<DemoOutcome> RunAsync(HoconConfig config, DemoPlan plan, IDemoView view)
    {
        var socketsBefore = OpenSockets();
        var system = LanActorSystem.Create("lan-demo", config);
        try
        {
            var settings = LanNodeSettings.FromConfig(config);
            var tally = system.ActorOf(Props.Create<DemoTally>(), "tally");
            var server = await LanNode.StartServerAsync(
                system, Named(settings, "demo-server"), ChaosServerHandler.Create(new ChaosServerOptions(CloseProbability, plan.Seed)), new ServerOptions { Name = "server" }).ConfigureAwait(false);
            var clients = new Dictionary<string, LanClient>(StringComparer.Ordinal);
            var stops = new List<Task>();
            var started = 0;
            DemoSnapshot snapshot = null!;
            await view.RunAsync(async update =>
            {
                var clock = Stopwatch.StartNew();
                while (true)
                {
                    snapshot = await tally.Ask<DemoSnapshot>(GetSnapshot.Instance, StopTimeout).ConfigureAwait(false);
                    // A client that said goodbye or vanished is done: its node goes, and a new client takes its place.
                    foreach (var finished in snapshot.FinishedClients.Where(clients.ContainsKey).ToList())
                    {
                        stops.Add(clients[finished].StopAsync(StopTimeout));
                        clients.Remove(finished);
                    }

                    var running = clock.Elapsed < plan.Duration;
                    while (running && clients.Count < plan.Clients)
                    {
                        var name = $"client-{++started:D3}";
                        var options = new ChaosClientOptions(name, Messages: 10, DropProbability, (plan.Seed * 100_003) + started, TimeSpan.FromMilliseconds(100));
                        clients[name] = LanNode.StartClient(system, Named(settings, name) with { AutoConnect = new AutoConnect(true, "demo-server") }, ChaosClientHandler.Create(options), name);
                    }

                    var peers = await server.Node.Ask<Peers>(GetPeers.Instance, StopTimeout).ConfigureAwait(false);
                    update(snapshot, peers.Connected.Count, clock.Elapsed);
                    if (!running)
                    {
                        return;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);

            // Time is up: the clients still running say DISCONNECT, and the server's account catches up.
            var stoppedByDemo = clients.Count;
            stops.AddRange(clients.Values.Select(client => client.StopAsync(StopTimeout)));
            await Task.WhenAll(stops.Select(IgnoreTimeout)).ConfigureAwait(false);
            var ledger = await SettledLedger(tally).ConfigureAwait(false);
            var peersLeft = (await server.Node.Ask<Peers>(GetPeers.Instance, StopTimeout).ConfigureAwait(false)).Connected.Count;
            await IgnoreTimeout(server.StopAsync(StopTimeout)).ConfigureAwait(false);
            await IgnoreTimeout(tally.GracefulStop(StopTimeout)).ConfigureAwait(false);
            var actorsLeft = await ActorsUnderUser(system).ConfigureAwait(false);
            await system.Terminate().ConfigureAwait(false);
            return new DemoOutcome(ledger, stoppedByDemo, peersLeft, actorsLeft, SocketsLeft(socketsBefore));
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    private static LanNodeSettings Named(LanNodeSettings settings, string name) =>
        settings with { Node = settings.Node with { Name = name, Id = $"{name}-{Guid.NewGuid():N}"[..24] } };

    private static async Task<ChaosLedger> SettledLedger(IActorRef tally)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var ledger = await tally.Ask<ChaosLedger>(GetLedger.Instance, StopTimeout).ConfigureAwait(false);
            if (ledger.Settled || deadline.Elapsed > StopTimeout)
            {
                return ledger;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
        }
    }

    private static async Task<int> ActorsUnderUser(ActorSystem system)
    {
        var identities = system.ActorSelection("/user/*");
        var replies = 0;
        var inbox = Inbox.Create(system);
        identities.Tell(new Identify(null), inbox.Receiver);
        try
        {
            while (await inbox.ReceiveAsync(TimeSpan.FromMilliseconds(300)).ConfigureAwait(false) is ActorIdentity { Subject: not null })
            {
                replies++;
            }
        }
        catch (TimeoutException)
        {
            // No more answers: that was all of them.
        }

        return replies;
    }

    private static async Task IgnoreTimeout(Task stop)
    {
        try
        {
            await stop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is TaskCanceledException or AskTimeoutException)
        {
            // Counted below: an actor that did not stop shows up as left over.
        }
    }

    // Sockets only (Linux); the runtime's own files and pipes are not the demo's doing.
    private static HashSet<string> OpenSockets() => OperatingSystem.IsLinux()
        ? [.. new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Select(fd => SafeTarget(fd)).Where(target => target.StartsWith("socket:", StringComparison.Ordinal))]
        : [];

    private static int SocketsLeft(HashSet<string> before) => OpenSockets().Except(before).Count();

    private static string SafeTarget(FileSystemInfo fd)
    {
        try
        {
            return fd.LinkTarget ?? "";
        }
        catch (IOException)
        {
            return "";
        }
    }
}
