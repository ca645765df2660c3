using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;

namespace Lan.Actors.Benchmarks.Tcp;

/// <summary>
/// <c>--tcp-load</c>: our server node with <see cref="EchoHandler"/> against <see cref="RawEchoServer"/>, driven
/// by the same <see cref="LoadClient"/> in the same run, rounds alternating so that load on the machine hits
/// all alike. Two of our nodes run: one with batch delivery (<c>ReceivedBatch</c> answered by one <c>SendBatch</c>)
/// and one with the default per-packet <c>Received</c> / <c>Send</c>, so both paths are reported. A third server,
/// the raw one decoding and re-encoding every packet with our codec, shows how much of the gap is the codec and how
/// much the actors.
/// Bounded: fixed counts, a few seconds per round.
/// </summary>
internal static class TcpLoad
{
    /// <summary>
    /// Load tools measure TCP only: no discovery datagram may leave this host. Their raw clients speak plaintext, so
    /// nodes are in open mode unless a tool says otherwise after this (tls-load, filer-throughput --tls).
    /// </summary>
    public const string LoopbackOnly = "lan.discovery.enabled = off\nlan.security.mode = open\n";

    // LAN_LOAD_ROUNDS raises it on a shared machine, where the median of more rounds says more.
    private static readonly int Rounds = int.TryParse(Environment.GetEnvironmentVariable("LAN_LOAD_ROUNDS"), CultureInfo.InvariantCulture, out var rounds) && rounds > 0 ? rounds : 3;
    private const int RoundTrips = 20_000;
    private const int Connections = 4;
    private const int InFlight = 64;
    private const int FramesPerConnection = 100_000;

    public static async Task RunAsync()
    {
        // LAN_LOAD_METERED=1: a listener on the Lan.Actors meter for the whole run (what --metrics or dotnet-counters
        // attach), so the cost of counting is measured against the same raw baseline.
        using var metered = Environment.GetEnvironmentVariable("LAN_LOAD_METERED") == "1" ? MeteredRun.Listen() : null;
        var frame = EncodeFrame(Packet.From(new TextMessage(new string('x', 100))));
        var config = LanConfiguration.Parse(LoopbackOnly + "lan.tcp { bind-host = 127.0.0.1, port = 0 }\nakka.loglevel = WARNING\n" + (Environment.GetEnvironmentVariable("LAN_LOAD_AKKA") ?? ""), "tcp-load");
        using var system = LanActorSystem.Create("tcp-load", config);
        var settings = LanNodeSettings.FromConfig(config);
        var server = await LanNode.StartServerAsync(system, settings, Props.Create<EchoHandler>(), new ServerOptions { BatchDelivery = true });
        var perPacket = await LanNode.StartServerAsync(system, settings, Props.Create<EchoHandler>(), new ServerOptions { Name = "lan-server-per-packet" });
        // LAN_LOAD_WEB=1: the batch server's web page served, and a reader on its live stream for the whole run (what a
        // browser watching the page costs the node).
        await using var watched = Environment.GetEnvironmentVariable("LAN_LOAD_WEB") == "1" ? await WatchedPage.StartAsync(system, settings, server) : null;
        using var raw = new RawEchoServer();
        using var codecOnly = new RawEchoServer(codec: true);

        // Warm-up: JIT, pools, and the TCP stacks of all servers.
        foreach (var endPoint in new[] { raw.EndPoint, server.LocalEndPoint, perPacket.LocalEndPoint, codecOnly.EndPoint })
        {
            await LoadClient.PingPongAsync(endPoint, frame, 2_000);
            await LoadClient.PipelinedAsync(endPoint, frame, Connections, InFlight, 10_000);
        }

        if (Environment.GetEnvironmentVariable("LAN_LOAD_ONLY") is { } only)
        {
            await TcpLoadProfile.RunAsync(only, only switch
            {
                "raw" => raw.EndPoint,
                "batch" => server.LocalEndPoint,
                "per-packet" => perPacket.LocalEndPoint,
                "codec" => codecOnly.EndPoint,
                _ => throw new ArgumentException($"LAN_LOAD_ONLY = {only}: use raw, batch, per-packet or codec"),
            }, frame, Connections, InFlight, FramesPerConnection * 20);
            return;
        }

        var rows = new List<string>();
        var pingRatios = new List<double>();
        var pipeRatios = new List<double>();
        var perPacketRatios = new List<double>();
        var extraBytes = new List<double>();
        var codecRatios = new List<double>();
        for (var round = 1; round <= Rounds; round++)
        {
            var rawPing = await LoadClient.PingPongAsync(raw.EndPoint, frame, RoundTrips);
            var ourPing = await LoadClient.PingPongAsync(server.LocalEndPoint, frame, RoundTrips);
            var (rawPipe, rawAlloc) = await Allocating(() => LoadClient.PipelinedAsync(raw.EndPoint, frame, Connections, InFlight, FramesPerConnection));
            var (ourPipe, ourAlloc) = await Allocating(() => LoadClient.PipelinedAsync(server.LocalEndPoint, frame, Connections, InFlight, FramesPerConnection));
            var onePipe = await LoadClient.PipelinedAsync(perPacket.LocalEndPoint, frame, Connections, InFlight, FramesPerConnection);
            var codecPipe = await LoadClient.PipelinedAsync(codecOnly.EndPoint, frame, Connections, InFlight, FramesPerConnection);
            const double packets = (double)Connections * FramesPerConnection;
            var rawRtt = RoundTripsPerSecond(rawPing);
            var ourRtt = RoundTripsPerSecond(ourPing);
            pingRatios.Add(ourRtt / rawRtt);
            pipeRatios.Add(rawPipe / ourPipe);
            perPacketRatios.Add(rawPipe / onePipe);
            extraBytes.Add((ourAlloc - rawAlloc) / packets);
            codecRatios.Add(rawPipe / codecPipe);
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {round} | {rawRtt:N0} | {ourRtt:N0} | {ourRtt / rawRtt:F2} | {Micros(rawPing, 0.5)} / {Micros(rawPing, 0.99)} | {Micros(ourPing, 0.5)} / {Micros(ourPing, 0.99)} | {packets / rawPipe.TotalSeconds:N0} | {packets / ourPipe.TotalSeconds:N0} | {rawPipe / ourPipe:F2} | {packets / onePipe.TotalSeconds:N0} | {rawPipe / onePipe:F2} | {rawPipe / codecPipe:F2} | {(ourAlloc - rawAlloc) / packets:F0} |"));
        }

        var decodeBytes = DecodedPacketBytes(frame);
        Console.WriteLine($"frame: {frame.Length} bytes (MESSAGE with a 100-character TEXT); ping-pong {RoundTrips:N0} round trips; pipelined {Connections} connections x {InFlight} in flight x {FramesPerConnection:N0}");
        Console.WriteLine("| round | raw round trips/s | ours round trips/s | ratio | raw p50 / p99 µs | ours p50 / p99 µs | raw packets/s pipelined | ours packets/s pipelined (batch) | ratio | ours, per packet | ratio | codec alone, no actors: ratio | extra bytes allocated per echoed packet (batch) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median ratios: ping-pong {Median(pingRatios):F2}, pipelined {Median(pipeRatios):F2} (batch delivery), {Median(perPacketRatios):F2} (per packet), {Median(codecRatios):F2} (codec alone, no actors); extra bytes per echoed packet {Median(extraBytes):F0}, of which the decoded packet itself (FrameDecoder alone, same frame) {decodeBytes:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ranges over {Rounds} rounds: ping-pong {pingRatios.Min():F2}-{pingRatios.Max():F2}, pipelined {pipeRatios.Min():F2}-{pipeRatios.Max():F2} (batch delivery), {perPacketRatios.Min():F2}-{perPacketRatios.Max():F2} (per packet), {codecRatios.Min():F2}-{codecRatios.Max():F2} (codec alone)"));
        await server.StopAsync(TimeSpan.FromSeconds(10));
        await perPacket.StopAsync(TimeSpan.FromSeconds(10));
        await system.Terminate();
    }

    private static async Task<(TimeSpan Elapsed, long Allocated)> Allocating(Func<Task<TimeSpan>> run)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var elapsed = await run();
        return (elapsed, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    private static double RoundTripsPerSecond(long[] latencies) => latencies.Length / (latencies.Sum() / (double)Stopwatch.Frequency);

    private static string Micros(long[] sorted, double quantile) =>
        (sorted[(int)Math.Min(sorted.Length - 1, quantile * sorted.Length)] * 1e6 / Stopwatch.Frequency).ToString("F0", CultureInfo.InvariantCulture);

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static byte[] EncodeFrame(Packet packet)
    {
        var writer = new ArrayBufferWriter<byte>();
        new FrameEncoder().Write(packet, writer);
        return writer.WrittenSpan.ToArray();
    }

    private static double DecodedPacketBytes(byte[] frame)
    {
        const int count = 10_000;
        var decoder = new FrameDecoder();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            var bytes = new ReadOnlySequence<byte>(frame);
            decoder.TryDecode(ref bytes, out _);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)count;
    }
}
