using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Xunit.Abstractions;
using Lan.Actors.Discovery;

namespace Lan.Actors.Tests.Discovery;

/// <summary>
/// The first seed's sweep mode on loopback: servers bind a random UDP port in a range and clients probe
/// every port of it. The range here is 64 ports picked at random for the spec, swept in a fraction of a second.
/// </summary>
public sealed class SweepDiscoverySpec(ITestOutputHelper output) : LanTestKit(SweepConfig(), output)
{
    private static string SweepConfig()
    {
        var start = Random.Shared.Next(40_000, 60_000);
        return $$"""
            lan.node.app = sweep-spec
            lan.tcp { port = 0, close-timeout = 300ms }
            lan.discovery {
              mode = sweep
              announce-interval = 200ms
              expire-after = 1s
              sweep { port-range-start = {{start}}, port-range-end = {{start + 63}}, probes-per-second = 640 }
            }
            """;
    }

    private LanNodeSettings Named(string name)
    {
        var settings = LanNodeSettings.FromConfig(LanConfig);
        return settings with { Node = settings.Node with { Name = name, Id = name + "-id" } };
    }

    [Fact]
    public async Task AClientSweepingTheRange_FindsAServerOnItsRandomPort_AndLosesItAtItsBye()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(ServerFound));
        Sys.EventStream.Subscribe(TestActor, typeof(ServerLost));
        var server = await LanNode.StartServerAsync(Sys, Named("swept"), Props.Create<EchoHandler>(), new ServerOptions { Name = "swept" });
        LanNode.StartClient(Sys, Named("sweeper"), Props.Create<EchoHandler>(), "sweeper");
        var found = FishForMessage<ServerFound>(_ => true, TimeSpan.FromSeconds(5)).Server;
        Assert.Equal("swept", found.Name);
        Assert.Equal(server.LocalEndPoint.Port, found.EndPoint.Port);

        await server.StopAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ServerLostReason.Bye, FishForMessage<ServerLost>(_ => true).Reason);
    }
}
