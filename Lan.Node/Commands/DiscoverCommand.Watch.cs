using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Lan.Actors.Discovery;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Node.Hosting;
using Lan.Node.Logging;
using Microsoft.Extensions.Hosting;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node discover --watch [--json] [--timeout T]</c>: one line per <see cref="ServerFound"/>,
/// <see cref="ServerUpdated"/> and <see cref="ServerLost"/> as discovery publishes them, so another process (a
/// script, the network-namespace testbed) can follow a LAN from outside without linking the library.
/// </summary>
public static partial class DiscoverCommand
{
    // Absent fields (restarted on found, reason on updated) are left out rather than written as null.
    private static readonly JsonSerializerOptions WatchJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>
    /// Prints discovery's events until <paramref name="cancel"/> fires, the host is told to stop (Ctrl+C, SIGTERM),
    /// or <paramref name="timeout"/> passes when one is given; logs go to <paramref name="error"/>.
    /// </summary>
    public static async Task<int> WatchAsync(HoconConfig config, TimeSpan? timeout, bool json, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        using var logger = ProcessLogging.Configure(config, error);
        // As in RunAsync: the printer subscribes before discovery starts, or the first ServerFound would pass it by.
        using var host = NodeHost.Build(builder => builder
            .AddStartup((system, _) =>
            {
                var printer = system.ActorOf(Props.Create(() => new Printer(output, json)), "printer");
                system.EventStream.Subscribe(printer, typeof(ServerFound));
                system.EventStream.Subscribe(printer, typeof(ServerUpdated));
                system.EventStream.Subscribe(printer, typeof(ServerLost));
            })
            .AddLanClient(config, Props.Create(() => new Ignore())));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        if (timeout is { } limit)
        {
            stop.CancelAfter(limit);
        }

        await host.StartAsync(CancellationToken.None).ConfigureAwait(false);
        // Returns when the host's own lifetime stops it (signals) or the token fires, and then stops the host.
        await host.WaitForShutdownAsync(stop.Token).ConfigureAwait(false);
        return ExitCodes.Done;
    }

    /// <summary>The line printed for one event: tab-separated text, or one JSON object.</summary>
    public static string Describe(object discoveryEvent, bool json)
    {
        var (kind, server, detail) = discoveryEvent switch
        {
            ServerFound found => ("found", found.Server, (string?)null),
            ServerUpdated updated => ("updated", updated.Server, updated.Restarted ? "restarted" : "changed"),
            ServerLost lost => ("lost", lost.Server, lost.Reason == ServerLostReason.Bye ? "bye" : "expired"),
            _ => throw new ArgumentException($"not a discovery event: {discoveryEvent}", nameof(discoveryEvent)),
        };
        if (json)
        {
            return JsonSerializer.Serialize(
                new
                {
                    @event = kind,
                    name = server.Name,
                    address = server.EndPoint.Address.ToString(),
                    port = server.EndPoint.Port,
                    app = server.App,
                    id = server.Id,
                    instance = server.Instance,
                    meta = server.Meta,
                    restarted = discoveryEvent is ServerUpdated update ? update.Restarted : (bool?)null,
                    reason = discoveryEvent is ServerLost ? detail : null,
                },
                WatchJson);
        }

        // What the servers said about themselves is escaped, so none can drive the terminal or forge a column.
        var meta = string.Join(' ', server.Meta.Select(entry => $"{PeerText.ForDisplay(entry.Key)}={PeerText.ForDisplay(entry.Value)}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{kind}\t{PeerText.ForDisplay(server.Name)}\t{server.EndPoint}\t{PeerText.ForDisplay(server.App)}\t{PeerText.ForDisplay(server.Id)}\t{PeerText.ForDisplay(server.Instance)}\t{detail}\t{meta}").TrimEnd();
    }

    /// <summary>Writes each event as it arrives; Console.Out flushes every line, so a reading process sees it at once.</summary>
    private sealed class Printer : ReceiveActor
    {
        public Printer(TextWriter output, bool json) => ReceiveAny(message => output.WriteLine(Describe(message, json)));
    }
}
