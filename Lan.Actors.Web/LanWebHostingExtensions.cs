using System.Net;
using Akka.Actor;
using Akka.Hosting;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;

namespace Lan.Actors.Web;

/// <summary>The key under which a node's web page sits in Akka.Hosting's <see cref="ActorRegistry"/> (its state actor).</summary>
public sealed class LanWebPageKey;

/// <summary>Serves a hosted node's web page, in Akka.Hosting's style.</summary>
public static class LanWebHostingExtensions
{
    /// <summary>
    /// Serves the page of the server node added with <c>AddLanServer</c> (with <paramref name="chatRoom"/>, the page joins its
    /// chat room): <c>b.AddLanServer(config, Props.Create&lt;ChatRoomHandler&gt;()).WithLanWebPage(config, IPAddress.Loopback, 8080, page => log(page.Uri))</c>.
    /// The page stops with the ActorSystem.
    /// </summary>
    /// <param name="builder">Akka.Hosting's builder.</param>
    /// <param name="config">The node's configuration, as given to <c>AddLanServer</c>.</param>
    /// <param name="host">The address to listen on; 127.0.0.1 keeps the page on this machine.</param>
    /// <param name="port">The port; 0 lets the OS choose.</param>
    /// <param name="started">Told the page once it is served: its <see cref="LanWebPage.Uri"/> carries the token to give the user.</param>
    /// <param name="chatRoom">True when the server's handler is a chat room the page should join.</param>
    public static AkkaConfigurationBuilder WithLanWebPage(
        this AkkaConfigurationBuilder builder, HoconConfig config, IPAddress host, int port, Action<LanWebPage>? started = null, bool chatRoom = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = LanNodeSettings.FromConfig(config);
        return builder.AddStartup(async (system, registry) =>
        {
            var server = await registry.GetAsync<LanServerNode>().ConfigureAwait(false);
            var bound = await server.Ask<Io.Bound>(AwaitBinding.Instance, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            var own = settings.ForOneNode();
            var endPoint = bound.LocalEndPoint.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, bound.LocalEndPoint.Port) : bound.LocalEndPoint;
            var node = new LanWebNode(own.Node.Name, own.Node.Id, own.Security.Mode.ToString().ToLowerInvariant(), server, [bound.LocalEndPoint.ToString()])
            {
                ChatRoom = chatRoom ? own.Node.Name : null,
                ChatEndPoint = chatRoom ? endPoint : null,
            };
            var page = await LanWebPage.StartAsync(system, own, node, host, port).ConfigureAwait(false);
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceStop, "lan-web-page", async () =>
            {
                await page.DisposeAsync().ConfigureAwait(false);
                return Akka.Done.Instance;
            });
            registry.Register<LanWebPageKey>(page.Watcher);
            started?.Invoke(page);
        });
    }
}
