using System.Net.Sockets;
using System.Runtime;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.TestKit;

/// <summary>
/// Proxies started and disposed with connections in every state — ended in order, reset by a fault, stuck in a
/// blackhole, still open — leave no socket behind. Runs alone, so only this spec's descriptors are counted.
/// </summary>
[Collection(CountedAloneCollection.Name)]
public sealed class ChaosProxyLeakSpec(ITestOutputHelper output)
{
    private const int Cycles = 20;

    // Room for the cycles' allocations, so that no collection runs during them: a socket the proxy forgot to
    // dispose would otherwise be closed by its finaliser and hide the leak from the count.
    private const long NoCollectionBudget = 128L * 1024 * 1024;

    private static int OpenFileDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    [Fact]
    public async Task ProxiesDisposedWithConnectionsInEveryState_LeaveFileDescriptorsAtBaseline()
    {
        if (!OperatingSystem.IsLinux())
        {
            output.WriteLine("skipped: counts file descriptors through /proc/self/fd");
            return;
        }

        using var server = new RawServer();
        // A warm-up cycle lets the socket engine open what it keeps for the process's lifetime.
        await CycleAsync(server, 0);
        var before = OpenFileDescriptors();
        var noCollection = GC.TryStartNoGCRegion(NoCollectionBudget);
        int after;
        try
        {
            for (var i = 1; i <= Cycles; i++)
            {
                await CycleAsync(server, i);
            }

            // Descriptors are closed by the time DisposeAsync returns: counted at once, not after a wait.
            after = OpenFileDescriptors();
        }
        finally
        {
            noCollection = GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;
            if (noCollection)
            {
                GC.EndNoGCRegion();
            }
        }

        output.WriteLine($"file descriptors: {before} before, {after} after {Cycles} proxies with 4 connections each"
            + (noCollection ? "; no collection ran" : "; a collection ran, so finalisers may have hidden a leak"));
        Assert.InRange(after, 0, before + 4);
    }

    private static async Task CycleAsync(RawServer server, int seed)
    {
        var proxy = ChaosProxy.Start(server.EndPoint, seed);
        var sockets = new List<Socket>();
        try
        {
            // Ended in order by both peers.
            var (client, accepted) = await ConnectAsync(proxy, server, sockets);
            await RawServer.SendAsync(client, [1, 2, 3]);
            await RawServer.ReadExactlyAsync(accepted, 3);
            client.Shutdown(SocketShutdown.Send);
            await RawServer.ReadToEndAsync(accepted);
            accepted.Shutdown(SocketShutdown.Send);
            await RawServer.ReadToEndAsync(client);

            // Reset by a fault after one byte.
            var reset = proxy.Upstream.Add(new CloseFault(CloseKind.Reset, AfterBytes: 1));
            (client, accepted) = await ConnectAsync(proxy, server, sockets);
            await RawServer.SendAsync(client, [1, 2]);
            await reset.WhenApplied().WaitAsync(RawServer.Limit);
            proxy.Upstream.Remove(reset);

            // Stuck in a blackhole, with the sender's end swallowed.
            var blackhole = proxy.Upstream.Add(new BlackholeFault());
            (client, _) = await ConnectAsync(proxy, server, sockets);
            await RawServer.SendAsync(client, [1]);
            client.Shutdown(SocketShutdown.Send);
            await blackhole.WhenApplied().WaitAsync(RawServer.Limit);
            proxy.Upstream.Clear();

            // Still open and idle when the proxy stops.
            await ConnectAsync(proxy, server, sockets);
        }
        finally
        {
            await proxy.DisposeAsync();
            Assert.Equal(0, proxy.Active);
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    private static async Task<(Socket Client, Socket Accepted)> ConnectAsync(ChaosProxy proxy, RawServer server, List<Socket> sockets)
    {
        var client = await RawServer.ConnectAsync(proxy.EndPoint);
        sockets.Add(client);
        var accepted = await server.AcceptAsync();
        sockets.Add(accepted);
        return (client, accepted);
    }
}
