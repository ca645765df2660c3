using System.Globalization;
using System.Net;

namespace Lan.Actors.Benchmarks.Tcp;

/// <summary>
/// <c>LAN_LOAD_ONLY=raw|batch|per-packet --tcp-load</c>: one long pipelined run against one server, for a profiler
/// (<c>perf record -p PID</c>, <c>perf stat</c>) to attach to. It prints the process id, waits 3 s for the profiler,
/// runs, and reports thread-pool work items and gen-0 collections per packet, the two figures that told the actor
/// hops apart from the codec when the pipelined ratio was taken apart (docs/PERFORMANCE.md). Bounded by its count.
/// </summary>
internal static class TcpLoadProfile
{
    public static async Task RunAsync(string server, IPEndPoint endPoint, byte[] frame, int connections, int inFlight, int framesPerConnection)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId}: pipelined run against {server} starts in 3 s"));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var items = ThreadPool.CompletedWorkItemCount;
        var collections = GC.CollectionCount(0);
        var elapsed = await LoadClient.PipelinedAsync(endPoint, frame, connections, inFlight, framesPerConnection);
        double packets = (double)connections * framesPerConnection;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{server}: {packets / elapsed.TotalSeconds:N0} packets/s, {(ThreadPool.CompletedWorkItemCount - items) / packets:F3} thread-pool items and {(GC.CollectionCount(0) - collections) * 1e6 / packets:F1} gen-0 collections per million packets, {ThreadPool.ThreadCount} pool threads"));
    }
}
