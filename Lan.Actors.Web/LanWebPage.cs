using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Lan.Actors.Nodes;
using Lan.Actors.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lan.Actors.Web;

/// <summary>The node a page shows.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Id">Its node ID.</param>
/// <param name="Mode"><c>tls</c> or <c>open</c>.</param>
/// <param name="Node">The node actor (asked for its peers every second).</param>
/// <param name="Addresses">Where it listens.</param>
public sealed record LanWebNode(string Name, string Id, string Mode, IActorRef Node, IReadOnlyList<string> Addresses)
{
    /// <summary>When the node started.</summary>
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The chat room the node serves, which the page joins as a member; null for none.</summary>
    public string? ChatRoom { get; init; }

    /// <summary>Where the page's member connects to the room.</summary>
    public IPEndPoint? ChatEndPoint { get; init; }

    /// <summary>
    /// True on a node that sends and receives files: the page shows transfers with their progress and the files
    /// received, and files dropped onto a node of the table are sent to it.
    /// </summary>
    public bool Files { get; init; }

    /// <summary>
    /// The receiver's decider the page answers for (<see cref="LanWebPage.StartOfferDesk"/>): offers wait on the page for a
    /// person to accept or refuse them. Null when the node decides otherwise.
    /// </summary>
    public IActorRef? OfferDesk { get; init; }

    /// <summary>The largest file a page may send (it is held in a temporary folder on its way): 1 GiB unless set.</summary>
    public long MaxUploadBytes { get; init; } = 1L << 30;
}

/// <summary>
/// A node's web page: who it is, the discovery table, its connections and the reasons of recent disconnects, charts of
/// packets and bytes a second, and its chat room with an input line; live over Server-Sent Events. Served by Kestrel on
/// 127.0.0.1 unless told otherwise; every request needs the random token <see cref="Uri"/> carries (as Jupyter does), in
/// the query (<c>?token=</c>), the cookie the page then gets, or the <c>X-Lan-Token</c> header; nothing changes state but a
/// POST with the header.
/// </summary>
public sealed class LanWebPage : IAsyncDisposable
{
    /// <summary>Live streams served at once; one more is answered 503.</summary>
    public const int MaxStreams = 8;

    /// <summary>The largest request body accepted (a chat line).</summary>
    public const int MaxBodyBytes = 8 * 1024;

    private string CookieName => "lan-node-token-" + Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    private readonly WebApplication _app;
    private readonly ActorSystem _system;
    private readonly IActorRef _watcher;
    private readonly LanClient _member;
    private int _streams;
    // The snapshot as JSON, made once for every open stream: with a LAN's worth of servers (up to max-servers, each
    // with its META) it is a megabyte, and each stream asked twice a second.
    private readonly SemaphoreSlim _snapshotting = new(1, 1);
    private (long At, byte[] Json)? _latest;
    private LanWebNode _node = null!;
    private LanNodeSettings _settings = null!;
    // One sender per node, for the endpoint it was made for: a node that restarts on another port gets a new one.
    private readonly Dictionary<string, (IPEndPoint EndPoint, LanClient Client, IActorRef Handler)> _senders = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sendersLock = new(1, 1);
    private readonly SemaphoreSlim _uploading = new(MaxUploads, MaxUploads);
    private readonly CancellationTokenSource _closing = new();

    // Streams that ask within this long of each other share one snapshot (each asks every 500 ms).
    private const long SnapshotReuseMilliseconds = 400;

    /// <summary>Uploads received at once; one more is answered 503.</summary>
    public const int MaxUploads = 4;
    private readonly string _uploads = Directory.CreateTempSubdirectory("lan-web-").FullName;

    /// <summary>The most nodes one page sends files to (each has a connection of its own).</summary>
    public const int MaxSenders = 16;

    /// <summary>
    /// Starts the decider a receiver gives its offers to when a person decides them on the page: pass it as the receiver's
    /// <see cref="Filer.FileReceiverOptions.Decider"/> and as <see cref="LanWebNode.OfferDesk"/>.
    /// </summary>
    public static IActorRef StartOfferDesk(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.ActorOf(Props.Create<WebOfferDesk>(), "lan-web-offers-" + Guid.NewGuid().ToString("N")[..8]);
    }

    private LanWebPage(WebApplication app, ActorSystem system, IActorRef watcher, LanClient member, string token, Uri address)
    {
        _app = app;
        _system = system;
        _watcher = watcher;
        _member = member;
        Token = token;
        Address = address;
    }

    /// <summary>The actor that keeps what the page shows.</summary>
    internal IActorRef Watcher => _watcher;

    /// <summary>The access token every request needs.</summary>
    public string Token { get; }

    /// <summary>Where dropped files wait on their way (removed with the page).</summary>
    internal string UploadFolder => _uploads;

    /// <summary>Where the page is served, without the token.</summary>
    public Uri Address { get; private set; }

    /// <summary>The page's address with its token: what to open in a browser.</summary>
    public Uri Uri => new($"{Address}?token={Token}");

    /// <summary>Serves the page of <paramref name="node"/> on <paramref name="host"/>:<paramref name="port"/> (0: the OS chooses).</summary>
    /// <param name="system">The node's ActorSystem.</param>
    /// <param name="settings">The node's settings (the page's chat member connects with the node's own identity).</param>
    /// <param name="node">What the page shows.</param>
    /// <param name="host">An IP address to listen on; 127.0.0.1 keeps the page on this machine.</param>
    /// <param name="port">The TCP port; 0 lets the OS choose.</param>
    /// <exception cref="IOException">The address cannot be listened on.</exception>
    public static async Task<LanWebPage> StartAsync(ActorSystem system, LanNodeSettings settings, LanWebNode node, IPAddress host, int port)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(node);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var watcher = system.ActorOf(WebWatcher.Create(node, node.OfferDesk), "lan-web-" + Guid.NewGuid().ToString("N")[..8]);
        // The page's own client node: its discovery fills the table (a server's own discovery only announces), and, on a
        // node with a room, it is the page's member there, named "web", with the node's own identity.
        var own = settings.ForOneNode();
        var memberSettings = own with
        {
            Node = own.Node with { Name = "web" },
            AutoConnect = new AutoConnect(false, null),
        };
        var member = LanNode.StartClient(system, memberSettings, WebChatMember.Create(watcher), "lan-web-" + Guid.NewGuid().ToString("N")[..8]);
        if (node.ChatRoom is not null && node.ChatEndPoint is { } room)
        {
            if (settings.Security.Mode == SecurityMode.Tls && NodeId.TryParse(node.Id, out var id, out _))
            {
                member.Connect(room, id);
            }
            else
            {
                member.Connect(room);
            }
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(host, port);
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        var page = new LanWebPage(app, system, watcher, member, token, new UriBuilder("http", host.ToString(), port).Uri)
        {
            _node = node,
            _settings = memberSettings with { Node = own.Node },
        };
        page.Map(app);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            await page.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // With port 0 the OS chose: the address Kestrel reports is the one to open.
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        page.Address = new UriBuilder("http", host.ToString(), bound.Port).Uri;
        watcher.Tell(new WebWatcher.UploadsAt(page._uploads));
        return page;
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            context.Response.Headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; connect-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            if (!HostAllowed(context) || !FromThisPage(context) || !HasToken(context))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("403: this page needs the token lan-node printed when it started: open the address it printed, with ?token=").ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        app.MapGet("/", context => Static(context, "index.html", "text/html; charset=utf-8"));
        app.MapGet("/app.js", context => Static(context, "app.js", "text/javascript; charset=utf-8"));
        app.MapGet("/app.css", context => Static(context, "app.css", "text/css; charset=utf-8"));
        app.MapGet("/events", Stream);
        app.MapPost("/api/chat", Say);
        app.MapPost("/api/send", SendFile);
        app.MapPost("/api/offers/{ticket:long}", DecideOffer);
    }

    // On loopback only this machine's own names for the page are answered: a request in which another site's name was made
    // to point at 127.0.0.1 (DNS rebinding) is refused as one without the token is.
    private bool HostAllowed(HttpContext context)
    {
        if (!IPAddress.IsLoopback(IPAddress.Parse(Address.Host.Trim('[', ']'))))
        {
            return true;
        }

        var host = context.Request.Host;
        return host.Port == Address.Port && host.Host is "127.0.0.1" or "localhost" or "[::1]" or "::1";
    }

    // What the page does (its stream, its POSTs) is asked by the page itself, so the browser names this page's origin.
    // Cookies go to every port of a host and SameSite ignores ports: a page another local program serves on
    // 127.0.0.1:OTHER would send this page's cookie. The browser's own Origin and Sec-Fetch-Site tell such a request
    // apart (a client that sends neither, such as curl with the token, is not a browser another site can drive).
    private static bool FromThisPage(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) && request.Path != "/events")
        {
            // The page and its files: opened from the address printed, or a link to it.
            return true;
        }

        var site = request.Headers["Sec-Fetch-Site"].FirstOrDefault();
        if (site is not null && site != "same-origin")
        {
            return false;
        }

        var origin = request.Headers.Origin.FirstOrDefault();
        return origin is null || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    private bool HasToken(HttpContext context)
    {
        // Any of header, query and cookie that carries the token will do (each is compared whole, in constant time): a page
        // reopened without the token in its address still has its cookie.
        var expected = Encoding.ASCII.GetBytes(Token);
        string?[] given = [context.Request.Headers["X-Lan-Token"].FirstOrDefault(), context.Request.Query["token"].FirstOrDefault(), context.Request.Cookies[CookieName]];
        if (!given.Any(value => !string.IsNullOrEmpty(value) && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(value), expected)))
        {
            return false;
        }

        // As Jupyter does: the address with the token opens the page once, and a cookie carries the token for the page's
        // own requests (its script, its stream); SameSite=Strict keeps other sites' requests from carrying it.
        context.Response.Cookies.Append(CookieName, Token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
        return true;
    }

    private static async Task Static(HttpContext context, string name, string type)
    {
        await using var file = typeof(LanWebPage).Assembly.GetManifestResourceStream("Lan.Actors.Web." + name)
            ?? throw new InvalidOperationException($"the page's {name} is missing from the assembly");
        context.Response.ContentType = type;
        context.Response.Headers.CacheControl = "no-store";
        await file.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    // Server-Sent Events: the whole snapshot twice a second, small enough not to bother with differences.
    private async Task Stream(HttpContext context)
    {
        if (Interlocked.Increment(ref _streams) > MaxStreams)
        {
            Interlocked.Decrement(ref _streams);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        try
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-store";
            using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _closing.Token);
            var stop = both.Token;
            while (!stop.IsCancellationRequested)
            {
                var snapshot = await SnapshotJson(stop).ConfigureAwait(false);
                await context.Response.WriteAsync("data: ", stop).ConfigureAwait(false);
                await context.Response.Body.WriteAsync(snapshot, stop).ConfigureAwait(false);
                await context.Response.WriteAsync("\n\n", stop).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(stop).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromMilliseconds(500), stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The browser went away.
        }
        finally
        {
            Interlocked.Decrement(ref _streams);
        }
    }

    // The latest snapshot, asked of the watcher and serialised at most once per tick whatever the number of streams.
    private async Task<byte[]> SnapshotJson(CancellationToken stop)
    {
        await _snapshotting.WaitAsync(stop).ConfigureAwait(false);
        try
        {
            var now = Environment.TickCount64;
            if (_latest is { } latest && now - latest.At < SnapshotReuseMilliseconds)
            {
                return latest.Json;
            }

            var snapshot = await _watcher.Ask<WebSnapshot>(WebWatcher.GetSnapshot.Instance, TimeSpan.FromSeconds(5), stop).ConfigureAwait(false);
            var json = JsonSerializer.SerializeToUtf8Bytes(snapshot, WebJson.Default.WebSnapshot);
            _latest = (now, json);
            return json;
        }
        finally
        {
            _snapshotting.Release();
        }
    }

    // Only with the header: a form or a link on another site can carry the token in no header.
    private async Task Say(HttpContext context)
    {
        if (context.Request.Headers["X-Lan-Token"].Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var say = await ReadJson(context, WebJson.Default.WebSay).ConfigureAwait(false);

        if (say?.Text is not { Length: > 0 and <= 4096 })
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("expected {\"text\": \"a line of 1 to 4096 characters\"}").ConfigureAwait(false);
            return;
        }

        _watcher.Tell(say);
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    // A file dropped onto a node of the table: held in a temporary folder, then offered to that node by a sender of the
    // page's own (one connection per node, proving the node's identity and expecting the other's ID in TLS mode).
    private async Task SendFile(HttpContext context)
    {
        if (!_node.Files || context.Request.Headers["X-Lan-Token"].Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var to = context.Request.Query["to"].FirstOrDefault() ?? "";
        if (!Filer.SafeFileName.TryCheck(context.Request.Query["name"].FirstOrDefault(), out var name, out var problem))
        {
            await Refuse(context, StatusCodes.Status400BadRequest, $"the file's name cannot be sent: {problem}").ConfigureAwait(false);
            return;
        }

        var found = await _watcher.Ask<WebWatcher.FoundServer>(new WebWatcher.FindServer(to), TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        if (found.Server is not { } server)
        {
            await Refuse(context, StatusCodes.Status404NotFound, "no such node in the table (it may have left)").ConfigureAwait(false);
            return;
        }

        var size = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (size is { IsReadOnly: false })
        {
            size.MaxRequestBodySize = _node.MaxUploadBytes;
        }

        if (!await _uploading.WaitAsync(0).ConfigureAwait(false))
        {
            await Refuse(context, StatusCodes.Status503ServiceUnavailable, $"{MaxUploads} files are on their way to this page already; drop this one again in a moment").ConfigureAwait(false);
            return;
        }

        try
        {
            await Upload(context, server, name).ConfigureAwait(false);
        }
        finally
        {
            _uploading.Release();
        }
    }

    private async Task Upload(HttpContext context, Discovery.ServerInfo server, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_uploads, Guid.NewGuid().ToString("N"))).FullName;
        var path = Path.Combine(folder, name);
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await context.Request.Body.CopyToAsync(file, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
        {
            Directory.Delete(folder, recursive: true);
            await Refuse(context, StatusCodes.Status400BadRequest, $"the file did not arrive whole (at most {_node.MaxUploadBytes} bytes): {e.Message}").ConfigureAwait(false);
            return;
        }

        if (await SenderFor(server).ConfigureAwait(false) is not { } sender)
        {
            Directory.Delete(folder, recursive: true);
            await Refuse(context, StatusCodes.Status503ServiceUnavailable, $"this page cannot send to that node now (it sends to {MaxSenders} nodes at most, a node that has left making room, and in TLS mode only to a node with a valid ID)").ConfigureAwait(false);
            return;
        }

        sender.Tell(new Filer.SendFile(path));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    // With every sender taken, one whose node discovery has lost makes room (what it still held fails, and its copies
    // go): otherwise the page could send to no 17th node until it stopped. Called holding the senders' lock.
    private async Task<bool> ForgetALostSender()
    {
        foreach (var (id, sender) in _senders)
        {
            var found = await _watcher.Ask<WebWatcher.FoundServer>(new WebWatcher.FindServer(id), TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            if (found.Server is null)
            {
                _senders.Remove(id);
                _ = sender.Client.StopAsync(TimeSpan.FromSeconds(3));
                return true;
            }
        }

        return false;
    }

    private async Task<IActorRef?> SenderFor(Discovery.ServerInfo server)
    {
        await _sendersLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_senders.TryGetValue(server.Id, out var known))
            {
                if (known.EndPoint.Equals(server.EndPoint))
                {
                    return known.Handler;
                }

                // The node moved (a restart on another port): the old sender would dial the old port for ever.
                _senders.Remove(server.Id);
                _ = known.Client.StopAsync(TimeSpan.FromSeconds(3));
            }

            if (_senders.Count >= MaxSenders && !await ForgetALostSender().ConfigureAwait(false))
            {
                return null;
            }

            // In TLS mode the node must prove the ID the table lists; an ID that is no node ID is not sent to at all.
            NodeId? id = null;
            if (_settings.Security.Mode == SecurityMode.Tls && !NodeId.TryParse(server.Id, out id, out _))
            {
                return null;
            }

            var name = "lan-web-send-" + Guid.NewGuid().ToString("N")[..8];
            var client = LanNode.StartClient(_system, _settings with { AutoConnect = new AutoConnect(false, null), Discovery = _settings.Discovery with { Enabled = false, Registry = null } }, Filer.FileSenderHandler.Props(), name);
            if (id is not null)
            {
                client.Connect(server.EndPoint, id);
            }
            else
            {
                client.Connect(server.EndPoint);
            }

            // The handler is made in the node's PreStart, just after the node: looked up until it is there.
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var handler = await _system.ActorSelection(client.Node.Path / "handler").ResolveOne(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                    _senders[server.Id] = (server.EndPoint, client, handler);
                    return handler;
                }
                catch (ActorNotFoundException) when (attempt < 50)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);
                }
                catch (ActorNotFoundException)
                {
                    await client.StopAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
                    return null;
                }
            }
        }
        finally
        {
            _sendersLock.Release();
        }
    }

    private async Task DecideOffer(HttpContext context, long ticket)
    {
        if (_node.OfferDesk is not { } desk || context.Request.Headers["X-Lan-Token"].Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var decision = await ReadJson(context, WebJson.Default.WebDecision).ConfigureAwait(false);

        if (decision is null)
        {
            await Refuse(context, StatusCodes.Status400BadRequest, "expected {\"accept\": true} or {\"accept\": false}").ConfigureAwait(false);
            return;
        }

        var known = await desk.Ask<bool>(new WebOfferDesk.Decide(ticket, decision.Accept), TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        context.Response.StatusCode = known ? StatusCodes.Status202Accepted : StatusCodes.Status404NotFound;
    }

    // A body that is not the JSON expected is null, answered 400 by the caller.
    private static async Task<T?> ReadJson<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task Refuse(HttpContext context, int status, string why)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(why).ConfigureAwait(false);
    }

    /// <summary>Stops serving the page and its chat member.</summary>
    public async ValueTask DisposeAsync()
    {
        // Live streams end first: Kestrel's stop waits for every request, and a watching browser never ends its own.
        await _closing.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _system.Stop(_watcher);
        await _member.StopAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        foreach (var (_, client, _) in _senders.Values)
        {
            await client.StopAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        }

        _closing.Dispose();
        _uploading.Dispose();
        _sendersLock.Dispose();
        _snapshotting.Dispose();

        // Files dropped onto the page were copies on their way; what was sent is the receiver's now.
        try
        {
            Directory.Delete(_uploads, recursive: true);
        }
        catch (IOException)
        {
            // A sender may still hold one open; the temporary folder is the system's to clean.
        }
    }
}
