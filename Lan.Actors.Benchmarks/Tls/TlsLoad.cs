using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Akka.Actor;
using Lan.Actors.Benchmarks.Tcp;
using Lan.Actors.Handlers;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.Security;

namespace Lan.Actors.Benchmarks.Tls;

/// <summary>
/// <c>--tls-load</c>: what TLS costs. Three echo servers with the same framing and the same work per frame, driven by
/// the same <see cref="LoadClient"/> in the same run, rounds alternating: our server node in open mode, our
/// server node in TLS mode (TLS 1.3, client certificate required), and Kestrel with UseHttps in front of a connection
/// handler (<see cref="KestrelTlsEcho"/>). Then the time to a first echo on a new connection (TCP connect, the TLS
/// handshake, one round trip), p50 and p99, for each. Bounded: fixed counts.
/// </summary>
internal static class TlsLoad
{
    private static readonly int Rounds = int.TryParse(Environment.GetEnvironmentVariable("LAN_LOAD_ROUNDS"), CultureInfo.InvariantCulture, out var rounds) && rounds > 0 ? rounds : 3;
    private const int Connections = 4;
    private const int InFlight = 64;
    private const int FramesPerConnection = 50_000;
    private const int Handshakes = 300;

    public static async Task RunAsync()
    {
        var frame = Frame(Packet.From(new TextMessage(new string('x', 100))));
        var config = LanConfiguration.Parse(TcpLoad.LoopbackOnly + "lan.tcp { bind-host = 127.0.0.1, port = 0 }\nakka.loglevel = WARNING\n", "tls-load");
        using var system = LanActorSystem.Create("tls-load", config);
        var settings = LanNodeSettings.FromConfig(config);
        var open = await LanNode.StartServerAsync(system, settings with { Security = SecuritySettings.Open }, Props.Create<EchoHandler>(), new ServerOptions { Name = "open", BatchDelivery = true });
        var tls = await LanNode.StartServerAsync(
            system, settings with { Security = SecuritySettings.Default with { Trust = TrustPolicy.Any, IdentityDir = SecuritySettings.Ephemeral } },
            Props.Create<EchoHandler>(), new ServerOptions { Name = "tls", BatchDelivery = true });
        using var client = NodeIdentity.CreateEphemeral();
        using var kestrelIdentity = NodeIdentity.CreateEphemeral();
        await using var kestrel = await KestrelTlsEcho.StartAsync(kestrelIdentity);
        var servers = new (string Name, IPEndPoint EndPoint, NodeIdentity? Identity)[]
        {
            ("ours, open", open.LocalEndPoint, null), ("ours, TLS", tls.LocalEndPoint, client), ("Kestrel + SslStream", kestrel.EndPoint, client),
        };

        foreach (var (_, endPoint, identity) in servers)
        {
            await LoadClient.PipelinedAsync(endPoint, frame, Connections, InFlight, 5_000, identity);
            await TimeToFirstEchoAsync(endPoint, identity, frame, 20);
        }

        Console.WriteLine($"frame: {frame.Length} bytes; pipelined {Connections} connections x {InFlight} in flight x {FramesPerConnection:N0}; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| round | ours open packets/s | ours TLS packets/s | TLS / open | Kestrel + SslStream packets/s | ours TLS / Kestrel TLS |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var costRatios = new List<double>();
        var kestrelRatios = new List<double>();
        const double packets = (double)Connections * FramesPerConnection;
        for (var round = 1; round <= Rounds; round++)
        {
            var rates = new double[servers.Length];
            for (var i = 0; i < servers.Length; i++)
            {
                var (_, endPoint, identity) = servers[i];
                rates[i] = packets / (await LoadClient.PipelinedAsync(endPoint, frame, Connections, InFlight, FramesPerConnection, identity)).TotalSeconds;
            }

            costRatios.Add(rates[1] / rates[0]);
            kestrelRatios.Add(rates[1] / rates[2]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {round} | {rates[0]:N0} | {rates[1]:N0} | {rates[1] / rates[0]:F2} | {rates[2]:N0} | {rates[1] / rates[2]:F2} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median: TLS keeps {Median(costRatios):F2} of open mode's throughput; ours with TLS runs at {Median(kestrelRatios):F2} of Kestrel's TLS echo"));
        Console.WriteLine($"time to a first echo on a new connection ({Handshakes} connections one after another: TCP connect, TLS handshake, one round trip)");
        Console.WriteLine("| server | p50 µs | p99 µs |");
        Console.WriteLine("|---|---|---|");
        foreach (var (name, endPoint, identity) in servers)
        {
            var times = await TimeToFirstEchoAsync(endPoint, identity, frame, Handshakes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Micros(times, 0.5)} | {Micros(times, 0.99)} |"));
        }

        await open.StopAsync(TimeSpan.FromSeconds(10));
        await tls.StopAsync(TimeSpan.FromSeconds(10));
        await system.Terminate();
    }

    private static async Task<long[]> TimeToFirstEchoAsync(IPEndPoint server, NodeIdentity? identity, byte[] frame, int count)
    {
        var times = new long[count];
        var buffer = new byte[4096];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await using var stream = await LoadClient.ConnectAsync(server, identity);
            await stream.WriteAsync(frame);
            await LoadClient.ReadFramesAsync(stream, buffer, 1);
            times[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(times);
        return times;
    }

    private static string Micros(long[] sorted, double quantile) =>
        (sorted[(int)Math.Min(sorted.Length - 1, quantile * sorted.Length)] * 1e6 / Stopwatch.Frequency).ToString("F0", CultureInfo.InvariantCulture);

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static byte[] Frame(Packet packet)
    {
        var writer = new ArrayBufferWriter<byte>();
        new FrameEncoder().Write(packet, writer);
        return writer.WrittenSpan.ToArray();
    }
}
