using System.Text;
using System.Text.Json;
using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Lan.Node.Commands;
using Xunit.Abstractions;
using Lan.Actors.Discovery;

namespace Lan.Actors.Tests.Commands;

/// <summary>`lan-node discover --watch`, in-process on loopback (the spec's own UDP port): one line per event, as it happens.</summary>
[Collection(ProcessLoggingCollection.Name)]
public sealed class DiscoverWatchSpec : LanTestKit
{
    private readonly ITestOutputHelper _output;

    public DiscoverWatchSpec(ITestOutputHelper output)
        : base("lan.tcp { port = 0, close-timeout = 300ms }\nlan.discovery { announce-interval = 200ms, expire-after = 1s }", output) => _output = output;

    private Task<LanServer> StartServer(string name)
    {
        var settings = LanNodeSettings.FromConfig(LanConfig);
        return LanNode.StartServerAsync(Sys, settings with { Node = settings.Node with { Name = name } }, Props.Create<EchoHandler>(), new ServerOptions { Name = name });
    }

    // The printer writes from an actor's thread while the spec reads. TextWriter.Synchronized locks on the writer
    // it returns (MethodImplOptions.Synchronized), so reading the StringWriter under that lock sees whole lines.
    private static (StringWriter Sink, TextWriter Printed) SynchronizedWriter()
    {
        var sink = new StringWriter(new StringBuilder());
        return (sink, TextWriter.Synchronized(sink));
    }

    private static string[] Lines((StringWriter Sink, TextWriter Printed) writer)
    {
        string text;
        lock (writer.Printed)
        {
            text = writer.Sink.ToString();
        }

        return text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task WatchJson_PrintsFoundThenLostByBye_OneObjectPerLine_AndStopsWhenCancelled()
    {
        var printed = SynchronizedWriter();
        using var log = new StringWriter();
        using var cancel = new CancellationTokenSource();
        var config = LanTestConfiguration.Build($"lan.discovery.port = {LanConfig.GetInt("lan.discovery.port")}");
        var watch = DiscoverCommand.WatchAsync(config, timeout: null, json: true, printed.Printed, log, cancel.Token);
        try
        {
            var server = await StartServer("lobby");
            await AwaitConditionAsync(() => Task.FromResult(Lines(printed).Length >= 1), TimeSpan.FromSeconds(10));
            await server.StopAsync(TimeSpan.FromSeconds(5));
            await AwaitConditionAsync(() => Task.FromResult(Lines(printed).Length >= 2), TimeSpan.FromSeconds(10));
        }
        finally
        {
            await cancel.CancelAsync();
        }

        Assert.Equal(0, await watch.WaitAsync(TimeSpan.FromSeconds(20)));
        _output.WriteLine(string.Join('\n', Lines(printed)));
        var events = Lines(printed).Select(line => JsonSerializer.Deserialize<JsonElement>(line)).ToArray();
        Assert.Equal(["found", "lost"], events.Select(e => e.GetProperty("event").GetString()));
        Assert.All(events, e => Assert.Equal("lobby", e.GetProperty("name").GetString()));
        Assert.Equal(events[0].GetProperty("instance").GetString(), events[1].GetProperty("instance").GetString());
        Assert.Equal("bye", events[1].GetProperty("reason").GetString());
        Assert.False(events[0].TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task WatchWithATimeout_StopsByItself_AndEachKindOfEventHasItsLine()
    {
        var printed = SynchronizedWriter();
        using var log = new StringWriter();
        // Expiry a minute away: a machine too busy to announce every 2 s would otherwise add a lost and a found line.
        var config = LanTestConfiguration.Build($"lan.discovery {{ port = {LanConfig.GetInt("lan.discovery.port")}, expire-after = 1m }}");
        var watch = DiscoverCommand.WatchAsync(config, TimeSpan.FromSeconds(2), json: false, printed.Printed, log, CancellationToken.None);
        var server = await StartServer("room");
        await AwaitConditionAsync(() => Task.FromResult(Lines(printed).Length >= 1), TimeSpan.FromSeconds(10));
        Assert.Equal(0, await watch.WaitAsync(TimeSpan.FromSeconds(20)));
        await server.StopAsync(TimeSpan.FromSeconds(5));
        var found = Assert.Single(Lines(printed)).Split('\t');
        Assert.Equal(["found", "room", $"127.0.0.1:{server.LocalEndPoint.Port}", "lan"], found[..4]);

        // The text form of the other events, from the same Describe the printer uses.
        var info = new ServerInfo("id-1", "instance-2", "room", "lan", 1, server.LocalEndPoint, new Dictionary<string, string> { ["players"] = "2" });
        Assert.EndsWith("\tid-1\tinstance-2\trestarted\tplayers=2", DiscoverCommand.Describe(new ServerUpdated(info, Restarted: true), json: false), StringComparison.Ordinal);
        Assert.StartsWith("lost\troom\t", DiscoverCommand.Describe(new ServerLost(info, ServerLostReason.Expired), json: false), StringComparison.Ordinal);
        Assert.Contains("\texpired\t", DiscoverCommand.Describe(new ServerLost(info, ServerLostReason.Expired), json: false), StringComparison.Ordinal);
        using var updated = JsonDocument.Parse(DiscoverCommand.Describe(new ServerUpdated(info, Restarted: true), json: true));
        Assert.True(updated.RootElement.GetProperty("restarted").GetBoolean());
        Assert.Equal("2", updated.RootElement.GetProperty("meta").GetProperty("players").GetString());
    }
}
