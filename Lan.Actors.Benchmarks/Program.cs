using System.Globalization;
using BenchmarkDotNet.Running;
using Lan.Actors.Benchmarks.Actors;
using Lan.Actors.Benchmarks.Filer;
using Lan.Actors.Benchmarks.Tcp;
using Lan.Actors.Benchmarks.Tls;

// Load tools that measure sockets or retained memory run outside BenchmarkDotNet; anything else goes to
// BenchmarkDotNet (pick suites with --filter, e.g. `--filter *PingPong*`).
switch (args.FirstOrDefault())
{
    case "--idle-memory":
        IdleActorMemory.Run();
        return;
    case "--tcp-load":
        await TcpLoad.RunAsync();
        return;
    case "--tls-load":
        await TlsLoad.RunAsync();
        return;
    case "--filer-throughput":
        await FilerThroughput.RunAsync(args.Skip(1).ToArray());
        return;
    case "--cluster-load":
        await Lan.Actors.Benchmarks.Cluster.ClusterLoad.RunAsync();
        return;
    case "--discovery-latency":
        await DiscoveryLatency.RunAsync();
        return;
    case "--idle-connections":
        await IdleConnections.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000);
        return;
    case "--hold-connections":
        await IdleConnections.HoldAsync(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
        return;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return;
}
