using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Hosting;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lan.Actors.Tests.Nodes;

/// <summary>An application that already hosts Akka.NET adds LAN nodes in Akka.Hosting's style (the README's example).</summary>
public sealed class HostingSpec
{
    [Fact]
    public async Task AddLanServerAndClient_StartWithTheHost_AreInTheRegistry_AndTalk()
    {
        var port = LanTestConfiguration.FreeTcpPort();
        // The spec's own UDP port: hosted nodes discover on loopback only.
        var config = LanTestConfiguration.Build($"lan.tcp.port = {port}\nlan.client.auto-connect = first");
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("game", builder => builder
                .AddLanServer(config, Props.Create<EchoHandler>())
                .AddLanClient(config, Props.Create(() => new FirstEcho(received)))))
            .Build();
        await host.StartAsync();
        try
        {
            var registry = host.Services.GetRequiredService<ActorRegistry>();
            Assert.False(registry.Get<LanServerNode>().IsNobody());
            Assert.False(registry.Get<LanClientNode>().IsNobody());
            Assert.Equal("hello through the host", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>Says one line once connected and reports the echo.</summary>
    private sealed class FirstEcho : ReceiveActor
    {
        public FirstEcho(TaskCompletionSource<string> received)
        {
            Receive<Connected>(connected => connected.Connection.Tell(new Send(RawPeer.Message("hello through the host"))));
            Receive<Received>(echo => received.TrySetResult(echo.Packet.GetString("TEXT")));
            ReceiveAny(_ => { });
        }
    }
}
