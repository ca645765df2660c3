using Lan.Actors.Hocon;
using Lan.Node.Commands;

namespace Lan.Actors.Tests.Commands;

/// <summary>The <c>lan-node receive</c> runs of a spec, in-process, each in its own folder under the spec's temporary root; all stopped, and the root removed, at the end.</summary>
internal sealed class Receivers(string prefix) : IAsyncDisposable
{
    private readonly List<(CancellationTokenSource Stop, Task<int> Running)> _runs = [];

    public string Root { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Starts a receiver named <paramref name="name"/> and waits for its first line; what it printed, its folder, and where it listens.</summary>
    public async Task<(Lines Printed, string Folder, string EndPoint)> StartAsync(string name, HoconConfig config, TextReader? ask = null, ReceiveCommand.OfferPolicy? policy = null)
    {
        var printed = new Lines();
        var folder = Path.Combine(Root, name + "-in");
        var stop = new CancellationTokenSource();
        _runs.Add((stop, ReceiveCommand.RunAsync(config, folder, printed, new Lines(), stop.Token, ask, policy)));
        var listening = await printed.WaitFor(line => line.StartsWith("receiving into", StringComparison.Ordinal));
        return (printed, folder, listening[(listening.LastIndexOf(' ') + 1)..]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (stop, running) in _runs)
        {
            await stop.CancelAsync();
            await running;
            stop.Dispose();
        }

        Directory.Delete(Root, recursive: true);
    }
}
