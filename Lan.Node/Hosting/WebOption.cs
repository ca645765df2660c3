using System.CommandLine;
using System.Globalization;
using System.Net;
using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Web;

namespace Lan.Node.Hosting;

/// <summary><c>--web [HOST:]PORT</c>: the node's web page (<see cref="LanWebPage"/>), on 127.0.0.1 unless HOST is given.</summary>
internal static class WebOption
{
    public static Option<string?> Create() => new("--web")
    {
        Description = "serve this node's web page at http://[HOST:]PORT/ (HOST 127.0.0.1 unless given; the address with its token is printed)",
    };

    /// <summary>Parses <c>[HOST:]PORT</c> (HOST an IP address or localhost); null with the problem when it is not one.</summary>
    public static (IPAddress Host, int Port)? Parse(string text, out string problem)
    {
        problem = "";
        var colon = text.LastIndexOf(':');
        var hostText = colon < 0 ? "127.0.0.1" : text[..colon];
        if (!int.TryParse(colon < 0 ? text : text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            problem = $"--web: expected [HOST:]PORT with PORT from 0 to 65535, e.g. 8080 or 127.0.0.1:8080; got \"{text}\"";
            return null;
        }

        var host = hostText == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(hostText, out var parsed) ? parsed : null;
        if (host is null)
        {
            problem = $"--web: \"{hostText}\" is not an IP address; use e.g. 127.0.0.1:{port} (or 0.0.0.0:{port} for every interface)";
            return null;
        }

        return (host, port);
    }

    /// <summary>Says once that a page on more than loopback travels the LAN in clear HTTP, token and all.</summary>
    public static void WarnIfExposed(IPAddress host, TextWriter error)
    {
        if (!IPAddress.IsLoopback(host))
        {
            error.WriteLine($"warning: --web on {host}: the page and its token travel the network in clear HTTP; anyone who sees the token can use the page");
        }
    }

    /// <summary>The decider a receiver's page answers for (<c>--accept ask</c> with <c>--web</c>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static IActorRef OfferDesk(ActorSystem system) => LanWebPage.StartOfferDesk(system);

    /// <summary>Starts the page of a receiver: transfers, files dropped onto peers sent to them, and offers when <paramref name="desk"/> decides them.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static async Task<IAsyncDisposable> StartFilesAsync(ActorSystem system, LanNodeSettings settings, LanServer server, IActorRef? desk, (IPAddress Host, int Port) at, TextWriter output)
    {
        var node = new LanWebNode(settings.Node.Name, server.Id, settings.Security.Mode.ToString().ToLowerInvariant(), server.Node, [server.LocalEndPoint.ToString()])
        {
            Files = true,
            OfferDesk = desk,
        };
        var page = await LanWebPage.StartAsync(system, settings, node, at.Host, at.Port).ConfigureAwait(false);
        await output.WriteLineAsync($"web page at {page.Uri}").ConfigureAwait(false);
        return page;
    }

    /// <summary>Starts the page of a server node, joining its chat room when <paramref name="chat"/>.</summary>
    // A method of its own: ASP.NET Core's assemblies load when it is compiled, which a run without --web never does.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static async Task<IAsyncDisposable> StartAsync(ActorSystem system, LanNodeSettings settings, LanServer server, bool chat, (IPAddress Host, int Port) at, TextWriter output)
    {
        var local = server.LocalEndPoint;
        // The page's member reaches the room where the node listens; a node on every interface is reached on loopback.
        var room = local.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, local.Port) : local;
        var node = new LanWebNode(settings.Node.Name, server.Id, settings.Security.Mode.ToString().ToLowerInvariant(), server.Node, [local.ToString()])
        {
            ChatRoom = chat ? settings.Node.Name : null,
            ChatEndPoint = chat ? room : null,
        };
        var page = await LanWebPage.StartAsync(system, settings, node, at.Host, at.Port).ConfigureAwait(false);
        await output.WriteLineAsync($"web page at {page.Uri}").ConfigureAwait(false);
        return page;
    }
}
