using Akka.Actor;
using Akka.Hosting;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Nodes;

/// <summary>A registry and a peer added in Akka.Hosting's style, as a server and a client are (<see cref="HostingSpec"/>).</summary>
public sealed class HostedRegistrySpec(ITestOutputHelper output) : LanTestKit(null, output)
{
    [Fact]
    public async Task AddLanRegistryAndPeer_StartWithTheHost_AreInTheRegistry_AndThePeerRegisters()
    {
        var port = LanTestConfiguration.FreeTcpPort();
        var registryConfig = LanTestConfiguration.Build($"lan.tcp.port = {port}");
        // A peer that finds others through the registry only: no broadcast of its own.
        var peerConfig = LanTestConfiguration.Build($"lan.discovery {{ enabled = off, registry = \"127.0.0.1:{port}\" }}");

        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("office", builder => builder
                .AddLanRegistry(registryConfig)
                .AddLanPeer(peerConfig, Props.Create<EchoHandler>())))
            .Build();
        await host.StartAsync();
        try
        {
            var registry = host.Services.GetRequiredService<ActorRegistry>();
            Assert.False(registry.Get<LanPeerNode>().IsNobody());
            var registryNode = registry.Get<LanRegistryNode>();
            // The peer's registry link is the registry's one connection.
            await AwaitAssertAsync(async () => Assert.Single((await registryNode.Ask<Peers>(GetPeers.Instance, TimeSpan.FromSeconds(3))).Connected));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
