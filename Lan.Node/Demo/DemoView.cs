using System.Globalization;
using Spectre.Console;

namespace Lan.Node.Demo;

/// <summary>Where the demo shows its progress: a live Spectre.Console table on a terminal, a line a second otherwise.</summary>
internal interface IDemoView
{
    Task RunAsync(Func<Action<DemoSnapshot, int, TimeSpan>, Task> work);
}

/// <summary>One plain line per update, for redirected output and tests.</summary>
internal sealed class PlainDemoView(TextWriter output) : IDemoView
{
    private TimeSpan _next = TimeSpan.Zero;

    public Task RunAsync(Func<Action<DemoSnapshot, int, TimeSpan>, Task> work) => work((snapshot, connected, elapsed) =>
    {
        // One line per whole second on the clock (0 s, 1 s, 2 s...), not a second after the last line: polls every
        // 200 ms plus an Ask drift, and the line for the last second must not be skipped for arriving 0.9 s after the one before.
        if (elapsed < _next)
        {
            return;
        }

        var second = Math.Floor(elapsed.TotalSeconds);
        _next = TimeSpan.FromSeconds(second + 1);
        output.WriteLine(
            $"{second,4:F0}s  connected {connected,3}  dropped {snapshot.Vanished,3}  closed by server {snapshot.ClosedByServer,3}  " +
            $"reconnected {snapshot.Reconnected,3}  said goodbye {snapshot.SaidGoodbye,3}  messages {snapshot.Messages,5}");
    });
}

/// <summary>A table redrawn in place while the demo runs.</summary>
internal sealed class LiveDemoView(IAnsiConsole console) : IDemoView
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public Task RunAsync(Func<Action<DemoSnapshot, int, TimeSpan>, Task> work)
    {
        var table = new Table().Title("lan-node demo: the first seed's chaos, over loopback sockets")
            .AddColumn("elapsed").AddColumn("connected").AddColumn("dropped").AddColumn("closed by server")
            .AddColumn("reconnected").AddColumn("said goodbye").AddColumn("messages");
        table.AddRow("0s", "0", "0", "0", "0", "0", "0");
        return console.Live(table).StartAsync(live => work((snapshot, connected, elapsed) =>
        {
            table.UpdateCell(0, 0, $"{elapsed.TotalSeconds:F0}s");
            table.UpdateCell(0, 1, connected.ToString(Invariant));
            table.UpdateCell(0, 2, snapshot.Vanished.ToString(Invariant));
            table.UpdateCell(0, 3, snapshot.ClosedByServer.ToString(Invariant));
            table.UpdateCell(0, 4, snapshot.Reconnected.ToString(Invariant));
            table.UpdateCell(0, 5, snapshot.SaidGoodbye.ToString(Invariant));
            table.UpdateCell(0, 6, snapshot.Messages.ToString(Invariant));
            live.Refresh();
        }));
    }
}
