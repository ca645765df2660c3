using System.Net.Sockets;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.TestKit;

/// <summary>
/// A fault's toxicity: each connection rolls once per fault, from the proxy's seed. Zero never applies, one
/// always does, and a fixed seed makes the same choices again — seen in what happens to the connections.
/// </summary>
public sealed class ChaosToxicitySpec(ITestOutputHelper output)
{
    private const int Connections = 16;

    [Fact]
    public async Task ToxicityZero_SparesEveryConnection()
    {
        using var server = new RawServer();
        await using var proxy = ChaosProxy.Start(server.EndPoint, seed: 7, output.WriteLine);
        var close = proxy.Upstream.Add(new CloseFault(CloseKind.Reset) { Toxicity = 0 });
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await SurvivesAsync(proxy, server));
        }

        // Each link rolls before its first byte crosses, so all five rolls are counted by now.
        Assert.Equal(5, close.Spared);
        Assert.Equal(0, close.Chosen);
        Assert.Equal(0, close.Applied);
    }

    [Fact]
    public async Task ToxicityOne_ClosesEveryConnection()
    {
        using var server = new RawServer();
        await using var proxy = ChaosProxy.Start(server.EndPoint, seed: 7, output.WriteLine);
        var close = proxy.Upstream.Add(new CloseFault(CloseKind.Reset) { Toxicity = 1 });
        for (var i = 0; i < 5; i++)
        {
            Assert.False(await SurvivesAsync(proxy, server));
        }

        await close.WhenApplied(5).WaitAsync(RawServer.Limit);
        Assert.Equal(5, close.Chosen);
        Assert.Equal(0, close.Spared);
    }

    [Fact]
    public async Task AFixedSeed_MakesTheSameChoicesTwice()
    {
        const int seed = 1234;
        output.WriteLine($"seed {seed}");
        var first = await ChoicesAsync(seed);
        var second = await ChoicesAsync(seed);
        output.WriteLine($"survived: {string.Join(" ", first.Select(survived => survived ? 1 : 0))}");
        Assert.Equal(first, second);
        // A half toxicity that chose all or none would not show that the rolls are used at all.
        Assert.Contains(true, first);
        Assert.Contains(false, first);
    }

    private async Task<bool[]> ChoicesAsync(int seed)
    {
        using var server = new RawServer();
        await using var proxy = ChaosProxy.Start(server.EndPoint, seed, output.WriteLine);
        var close = proxy.Upstream.Add(new CloseFault(CloseKind.Reset) { Toxicity = 0.5 });
        var survived = new bool[Connections];
        for (var i = 0; i < Connections; i++)
        {
            survived[i] = await SurvivesAsync(proxy, server);
        }

        await close.WhenApplied(survived.Count(s => !s)).WaitAsync(RawServer.Limit);
        Assert.Equal(survived.Count(s => !s), close.Chosen);
        Assert.Equal(survived.Count(s => s), close.Spared);
        return survived;
    }

    /// <summary>Connects through the proxy; true when a byte from the server arrives, false when the proxy closed the link.</summary>
    private static async Task<bool> SurvivesAsync(ChaosProxy proxy, RawServer server)
    {
        Socket client;
        try
        {
            client = await RawServer.ConnectAsync(proxy.EndPoint);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Reset so soon that the connect itself saw it; the proxy reached the server first all the same.
            (await server.AcceptAsync()).Dispose();
            return false;
        }

        using (client)
        using (var accepted = await server.AcceptAsync())
        {
            try
            {
                await RawServer.SendAsync(accepted, [42]);
            }
            catch (SocketException)
            {
                // The proxy reset this side before the byte left.
            }

            var (bytes, _, _) = await RawServer.ReadToEndOrFirstByteAsync(client);
            return bytes.Length == 1;
        }
    }
}
