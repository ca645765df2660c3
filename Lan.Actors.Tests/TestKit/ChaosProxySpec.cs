using System.Net.Sockets;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.TestKit;

/// <summary>
/// The proxy's faults on plain sockets, where every byte and every end can be seen: each spec proves the fault
/// acted (its counter) and had its effect (what the receiver got). No spec measures time.
/// </summary>
public sealed class ChaosProxySpec(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 42;
    private readonly RawServer _server = new();

    public void Dispose() => _server.Dispose();

    private ChaosProxy StartProxy(int seed = Seed) => ChaosProxy.Start(_server.EndPoint, seed, output.WriteLine);

    /// <summary>A client through the proxy and the server-side socket it reached.</summary>
    private async Task<(Socket Client, Socket Server)> ConnectAsync(ChaosProxy proxy)
    {
        var client = await RawServer.ConnectAsync(proxy.EndPoint);
        return (client, await _server.AcceptAsync());
    }

    [Fact]
    public async Task NoFaults_BytesPassBothWays_AndAreCounted()
    {
        await using var proxy = StartProxy();
        var (client, server) = await ConnectAsync(proxy);
        using (client)
        using (server)
        {
            await RawServer.SendAsync(client, RawServer.Numbered(100));
            Assert.Equal(RawServer.Numbered(100), (await RawServer.ReadExactlyAsync(server, 100)).Bytes);
            await RawServer.SendAsync(server, RawServer.Numbered(30));
            Assert.Equal(RawServer.Numbered(30), (await RawServer.ReadExactlyAsync(client, 30)).Bytes);
            Assert.Equal(1, proxy.Accepted);
            Assert.Equal(1, proxy.Active);

            // The client's end of stream crosses, then the server's. Each end follows its direction's bytes,
            // which were counted by then.
            client.Shutdown(SocketShutdown.Send);
            Assert.Equal(StreamEnd.Fin, (await RawServer.ReadToEndAsync(server)).End);
            server.Shutdown(SocketShutdown.Send);
            Assert.Equal(StreamEnd.Fin, (await RawServer.ReadToEndAsync(client)).End);
            Assert.Equal(100, proxy.Upstream.BytesForwarded);
            Assert.Equal(30, proxy.Downstream.BytesForwarded);
        }
    }

    [Fact]
    public async Task Latency_WithJitter_DelaysEveryChunk_AndNeverReordersBytes()
    {
        await using var proxy = StartProxy();
        var latency = proxy.Upstream.Add(new LatencyFault(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(15)));
        var (client, server) = await ConnectAsync(proxy);
        using (client)
        using (server)
        {
            // Many small writes become many chunks, each with its own jittered delay.
            var sent = RawServer.Numbered(250);
            for (var i = 0; i < sent.Length; i += 5)
            {
                await RawServer.SendAsync(client, sent[i..(i + 5)]);
                await Task.Yield();
            }

            client.Shutdown(SocketShutdown.Send);
            var (received, end, _) = await RawServer.ReadToEndAsync(server);
            Assert.Equal(sent, received);
            Assert.Equal(StreamEnd.Fin, end);
            output.WriteLine(latency.ToString());
            Assert.True(latency.Applied >= 1, latency.ToString());
        }
    }

    [Theory]
    [InlineData(true, CloseKind.Fin)]
    [InlineData(true, CloseKind.Reset)]
    [InlineData(false, CloseKind.Fin)]
    [InlineData(false, CloseKind.Reset)]
    public async Task CloseAfterBytes_TheReceiverGetsExactlyThoseBytes_ThenBothSidesSeeTheKindOfEnd(bool upstream, CloseKind kind)
    {
        await using var proxy = StartProxy();
        var direction = upstream ? proxy.Upstream : proxy.Downstream;
        var close = direction.Add(new CloseFault(kind, AfterBytes: 100));
        var (client, server) = await ConnectAsync(proxy);
        using (client)
        using (server)
        {
            var (sender, receiver) = upstream ? (client, server) : (server, client);
            // Two writes: the budget runs out inside the second chunk, not at a chunk's edge.
            await RawServer.SendAsync(sender, RawServer.Numbered(60));
            Assert.Equal(RawServer.Numbered(60), (await RawServer.ReadExactlyAsync(receiver, 60)).Bytes);
            await RawServer.SendAsync(sender, RawServer.Numbered(200));

            var (received, end, _) = await RawServer.ReadToEndAsync(receiver);
            Assert.Equal(RawServer.Numbered(40), received);
            var expected = kind == CloseKind.Fin ? StreamEnd.Fin : StreamEnd.Reset;
            Assert.Equal(expected, end);
            Assert.Equal(expected, (await RawServer.ReadToEndAsync(sender)).End);
            await close.WhenApplied().WaitAsync(RawServer.Limit);
            Assert.Equal(1, close.Applied);
            Assert.Equal(100, direction.BytesForwarded);
        }
    }

    [Fact]
    public async Task CloseAtOnce_ResetsTheOpenConnection_AndEveryNewOne()
    {
        await using var proxy = StartProxy();
        var (client, server) = await ConnectAsync(proxy);
        using (client)
        using (server)
        {
            var close = proxy.Downstream.Add(new CloseFault(CloseKind.Reset));
            Assert.Equal(StreamEnd.Reset, (await RawServer.ReadToEndAsync(client)).End);
            Assert.Equal(StreamEnd.Reset, (await RawServer.ReadToEndAsync(server)).End);

            Assert.Equal(StreamEnd.Reset, await RawServer.ConnectAndReadEndAsync(proxy.EndPoint));
            // The proxy reached the server before closing, so the server sees the reset too.
            using var lateServer = await _server.AcceptAsync();
            Assert.Equal(StreamEnd.Reset, (await RawServer.ReadToEndAsync(lateServer)).End);
            await close.WhenApplied(2).WaitAsync(RawServer.Limit);
            Assert.Equal(2, close.Applied);
        }
    }

    [Theory]
    [InlineData(CloseKind.Fin)]
    [InlineData(CloseKind.Reset)]
    public async Task CloseAll_EndsEveryOpenConnection_TheGivenWay(CloseKind kind)
    {
        await using var proxy = StartProxy();
        var (first, firstServer) = await ConnectAsync(proxy);
        var (second, secondServer) = await ConnectAsync(proxy);
        Socket[] sockets = [first, firstServer, second, secondServer];
        try
        {
            Assert.Equal(2, proxy.CloseAll(kind));
            var expected = kind == CloseKind.Fin ? StreamEnd.Fin : StreamEnd.Reset;
            foreach (var socket in sockets)
            {
                Assert.Equal(expected, (await RawServer.ReadToEndAsync(socket)).End);
            }
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    [Fact]
    public async Task Blackhole_TakesTheSendersBytes_ForwardsNothing_ClosesNothing_UntilRemoved()
    {
        await using var proxy = StartProxy();
        var (client, server) = await ConnectAsync(proxy);
        using (client)
        using (server)
        {
            var blackhole = proxy.Upstream.Add(new BlackholeFault());
            await RawServer.SendAsync(client, RawServer.Numbered(250));
            await blackhole.WhenApplied(250).WaitAsync(RawServer.Limit);

            // Every byte was taken from the sender and none was written to the receiver; neither side saw an end.
            Assert.Equal(250, blackhole.Applied);
            Assert.Equal(0, proxy.Upstream.BytesForwarded);
            Assert.True(RawServer.IsQuietAndOpen(server), "the server got something from a blackhole");
            Assert.True(RawServer.IsQuietAndOpen(client), "the blackhole closed the client");
            Assert.Equal(1, proxy.Active);

            // The link was alive all along: once the blackhole is gone, new bytes cross (the swallowed ones are lost).
            Assert.True(proxy.Upstream.Remove(blackhole));
            await RawServer.SendAsync(client, [7, 8, 9]);
            Assert.Equal(new byte[] { 7, 8, 9 }, (await RawServer.ReadExactlyAsync(server, 3)).Bytes);
        }
    }

    [Fact]
    public async Task Blackhole_SwallowsTheSendersEndOfStreamToo()
    {
        await using var proxy = StartProxy();
        var blackhole = proxy.Upstream.Add(new BlackholeFault());
        var (client, server) = await ConnectAsync(proxy);
        using (client)
        using (server)
        {
            await RawServer.SendAsync(client, [1, 2, 3]);
            client.Shutdown(SocketShutdown.Send);
            await blackhole.WhenApplied(3).WaitAsync(RawServer.Limit);
            // The other direction still works, and proves the server's side was never told of the end.
            await RawServer.SendAsync(server, [4]);
            Assert.Equal(new byte[] { 4 }, (await RawServer.ReadExactlyAsync(client, 1)).Bytes);
            Assert.True(RawServer.IsQuietAndOpen(server), "the client's end crossed the blackhole");
        }
    }

    [Fact]
    public async Task Slicing_WithADelay_TheReceiverReadsAChunkInManyPieces_AllBytesInOrder()
    {
        await using var proxy = StartProxy();
        var slice = proxy.Downstream.Add(new SliceFault(MaxBytes: 7, Delay: TimeSpan.FromMilliseconds(20)));
        var (client, server) = await ConnectAsync(proxy);
        using (client)
        using (server)
        {
            var sent = RawServer.Numbered(70);
            await RawServer.SendAsync(server, sent);
            var (received, reads) = await RawServer.ReadExactlyAsync(client, sent.Length);
            Assert.Equal(sent, received);
            // A slice is counted once written, which may be a moment after the receiver read it.
            await slice.WhenApplied(10).WaitAsync(RawServer.Limit);
            output.WriteLine($"{reads} reads; {slice}");
            // At least ten slices with pauses between them; the receiver may read a few together, never all.
            Assert.True(reads >= 3, $"only {reads} reads");
        }
    }

    [Fact]
    public async Task Bandwidth_PacesEveryByte_AndDeliversThemAllInOrder()
    {
        await using var proxy = StartProxy();
        // 40 kB/s in pieces of 2 kB: 10 kB is five paced pieces.
        var bandwidth = proxy.Upstream.Add(new BandwidthFault(BytesPerSecond: 40_000));
        var (client, server) = await ConnectAsync(proxy);
        using (client)
        using (server)
        {
            var sent = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7)).ToArray();
            await RawServer.SendAsync(client, sent);
            var (received, reads) = await RawServer.ReadExactlyAsync(server, sent.Length);
            Assert.Equal(sent, received);
            await bandwidth.WhenApplied(10_000).WaitAsync(RawServer.Limit);
            output.WriteLine($"{reads} reads; {bandwidth}");
            Assert.Equal(10_000, bandwidth.Applied);
            Assert.True(reads >= 2, "the bytes arrived in one burst");
        }
    }

    [Fact]
    public async Task RemovedAndClearedFaults_ActNoMore()
    {
        await using var proxy = StartProxy();
        var close = proxy.Upstream.Add(new CloseFault(CloseKind.Reset, AfterBytes: 1));
        proxy.Upstream.Add(new BlackholeFault());
        Assert.True(proxy.Upstream.Remove(close));
        Assert.False(proxy.Upstream.Remove(close));
        await Assert.ThrowsAsync<InvalidOperationException>(() => close.WhenApplied());
        proxy.Upstream.Clear();
        Assert.Empty(proxy.Upstream.Faults);

        var (client, server) = await ConnectAsync(proxy);
        using (client)
        using (server)
        {
            await RawServer.SendAsync(client, [1, 2, 3]);
            Assert.Equal(new byte[] { 1, 2, 3 }, (await RawServer.ReadExactlyAsync(server, 3)).Bytes);
            Assert.Equal(0, close.Applied);
        }
    }

    [Fact]
    public async Task FaultsThatMakeNoSense_AreRefusedWhenAdded()
    {
        await using var proxy = StartProxy();
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlackholeFault { Toxicity = 1.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => proxy.Upstream.Add(new LatencyFault(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10))));
        Assert.Throws<ArgumentOutOfRangeException>(() => proxy.Upstream.Add(new BandwidthFault(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => proxy.Upstream.Add(new CloseFault(CloseKind.Fin, -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => proxy.Upstream.Add(new SliceFault(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => proxy.Upstream.Add(new SliceFault(1) with { MaxBytes = -3 }));
        Assert.Empty(proxy.Upstream.Faults);
    }

    [Fact]
    public async Task Dispose_ClosesEveryConnection_FailsPendingWaits_AndStopsListening()
    {
        var proxy = StartProxy();
        var latency = proxy.Upstream.Add(new LatencyFault(TimeSpan.FromMilliseconds(1)));
        var waiting = latency.WhenApplied();
        var (client, server) = await ConnectAsync(proxy);
        using (client)
        using (server)
        {
            await proxy.DisposeAsync();
            Assert.Equal(0, proxy.Active);
            Assert.Equal(StreamEnd.Fin, (await RawServer.ReadToEndAsync(client)).End);
            Assert.Equal(StreamEnd.Fin, (await RawServer.ReadToEndAsync(server)).End);
            await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
            await Assert.ThrowsAnyAsync<SocketException>(() => RawServer.ConnectAsync(proxy.EndPoint));
        }
    }
}
