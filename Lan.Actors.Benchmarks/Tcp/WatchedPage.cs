using System.Net;
using Akka.Actor;
using Lan.Actors.Nodes;
using Lan.Actors.Web;

namespace Lan.Actors.Benchmarks.Tcp;

/// <summary>A node's web page with a reader on its event stream, as a browser watching it would be.</summary>
internal sealed class WatchedPage : IAsyncDisposable
{
    private readonly LanWebPage _page;
    private readonly HttpClient _http = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private long _events;

    private WatchedPage(LanWebPage page)
    {
        _page = page;
        _reading = ReadAsync();
    }

    public static async Task<WatchedPage> StartAsync(ActorSystem system, LanNodeSettings settings, LanServer server)
    {
        var node = new LanWebNode("tcp-load", server.Id, "open", server.Node, [server.LocalEndPoint.ToString()]);
        var page = await LanWebPage.StartAsync(system, settings, node, IPAddress.Loopback, 0);
        Console.WriteLine($"web: the page served at {page.Address} and its live stream read for the whole run");
        return new WatchedPage(page);
    }

    private async Task ReadAsync()
    {
        try
        {
            using var stream = await _http.GetStreamAsync(new Uri(_page.Address, $"events?token={_page.Token}"), _stop.Token);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(_stop.Token) is not null)
            {
                _events++;
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        Console.WriteLine($"web: {_events} lines of the live stream read");
        _http.Dispose();
        _stop.Dispose();
        await _page.DisposeAsync();
    }
}
