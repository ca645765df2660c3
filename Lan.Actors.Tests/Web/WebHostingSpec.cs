using System.Net;
using Akka.Actor;
using Akka.Hosting;
using Lan.Actors.Handlers;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Lan.Actors.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lan.Actors.Tests.Web;

/// <summary>The page of a node an Akka.Hosting application hosts, through <c>WithLanWebPage</c>.</summary>
public sealed class WebHostingSpec
{
    [Fact]
    public async Task WithLanWebPage_ServesTheHostedServersPage_WithItsToken_UntilTheHostStops()
    {
        var config = LanTestConfiguration.Build("lan.tcp.port = 0\nlan.node.name = hosted-den");
        var served = new TaskCompletionSource<LanWebPage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("web-host", builder => builder
                .AddLanServer(config, Props.Create<ChatRoomHandler>())
                .WithLanWebPage(config, IPAddress.Loopback, 0, served.SetResult, chatRoom: true)))
            .Build();
        await host.StartAsync();
        try
        {
            var page = await served.Task.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.False(host.Services.GetRequiredService<ActorRegistry>().Get<LanWebPageKey>().IsNobody());
            using var http = new HttpClient();
            Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(page.Address)).StatusCode);
            using var stream = new StreamReader(await http.GetStreamAsync(new Uri(page.Address, $"events?token={page.Token}")));
            var first = await stream.ReadLineAsync();
            Assert.StartsWith("data: {\"node\":{\"name\":\"hosted-den\"", first, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
