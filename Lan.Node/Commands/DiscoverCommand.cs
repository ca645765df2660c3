using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using Lan.Actors.Discovery;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Node.Hosting;
using Lan.Node.Logging;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node discover [--timeout 2s] [--json]</c>: lists the servers that answer on the LAN.
/// With <c>--watch</c> it prints one line per event instead, until stopped (see DiscoverCommand.Watch.cs).
/// </summary>
public static partial class DiscoverCommand
{
    /// <summary>Builds the <c>discover</c> command.</summary>
    public static Command Create()
    {
        var node = new NodeOptions();
        // No default value: "2s" when listing, and "until stopped" when watching, which no single default can say.
        var timeout = new Option<string?>("--timeout") { Description = "how long to listen, e.g. 2s or 500ms (default 2s; with --watch, until stopped)" };
        var json = new Option<bool>("--json") { Description = "print a JSON array instead of one line per server (with --watch, one JSON object per line)" };
        var watch = new Option<bool>("--watch") { Description = "print each server found, updated (new META or restarted) or lost as it happens" };
        var command = new Command("discover", "List the servers on the LAN: name, address, TCP port, app, meta");
        node.AddTo(command);
        command.Options.Add(timeout);
        command.Options.Add(json);
        command.Options.Add(watch);
        command.SetAction(async (parse, cancel) =>
        {
            HoconConfig config;
            TimeSpan? wait;
            var watching = parse.GetValue(watch);
            try
            {
                config = node.Load(parse, ("lan.client.auto-connect", "none"));
                var text = parse.GetValue(timeout) ?? (watching ? null : "2s");
                wait = text is null ? null : CliValues.Duration(text, "--timeout", parse.InvocationConfiguration.Error);
                if (text is not null && wait is null)
                {
                    return ExitCodes.BadUsage;
                }
            }
            catch (ConfigException e)
            {
                return NodeHost.ConfigError(e, parse.InvocationConfiguration.Error);
            }

            if (watching)
            {
                return await WatchAsync(config, wait, parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancel).ConfigureAwait(false);
            }

            return await RunAsync(config, wait!.Value, parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancel).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Listens for <paramref name="timeout"/> (or until <paramref name="cancel"/>: Ctrl+C) and prints what answered; logs go to <paramref name="error"/>.</summary>
    public static async Task<int> RunAsync(HoconConfig config, TimeSpan timeout, bool json, TextWriter output, TextWriter error, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        using var logger = ProcessLogging.Configure(config, error);
        var servers = new Dictionary<string, ServerInfo>();
        // The collector listens before discovery starts, or an early ServerFound would pass it by.
        using var host = NodeHost.Build(builder => builder
            .AddStartup((system, _) =>
            {
                var collector = system.ActorOf(Props.Create(() => new Collector(servers)), "collector");
                system.EventStream.Subscribe(collector, typeof(ServerFound));
                system.EventStream.Subscribe(collector, typeof(ServerUpdated));
                system.EventStream.Subscribe(collector, typeof(ServerLost));
            })
            .AddLanClient(config, Props.Create(() => new Ignore())));
        await host.StartAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await Task.Delay(timeout, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: print what answered so far.
        }

        var system = host.System();
        var found = await system.ActorSelection("/user/collector").Ask<ServerInfo[]>(Collector.Report.Instance, TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        var trust = TrustColumn.For(LanNodeSettings.FromConfig(config));
        if (json)
        {
            // The trust field only in TLS mode (left out when null), so open mode's JSON is the seeds' as it was.
            output.WriteLine(JsonSerializer.Serialize(
                found.Select(server => new
                {
                    name = server.Name,
                    address = server.EndPoint.Address.ToString(),
                    port = server.EndPoint.Port,
                    app = server.App,
                    id = server.Id,
                    instance = server.Instance,
                    meta = server.Meta,
                    trust = trust?.Invoke(server),
                }),
                OmitNulls));
        }
        else
        {
            foreach (var server in found)
            {
                // Names, apps and META are what the servers said about themselves: escaped, so none can drive the terminal or forge a column.
                var meta = string.Join(' ', server.Meta.Select(entry => $"{PeerText.ForDisplay(entry.Key)}={PeerText.ForDisplay(entry.Value)}"));
                var column = trust is null ? "" : $"\t{trust(server)}";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{PeerText.ForDisplay(server.Name)}\t{server.EndPoint}\t{PeerText.ForDisplay(server.App)}{column}\t{meta}").TrimEnd());
            }
        }

        return ExitCodes.Done;
    }

    private static readonly JsonSerializerOptions OmitNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private sealed class Ignore : ReceiveActor
    {
        public Ignore() => ReceiveAny(_ => { });
    }

    /// <summary>Keeps the servers discovery has published, in the order they were found.</summary>
    private sealed class Collector : ReceiveActor
    {
        public Collector(Dictionary<string, ServerInfo> servers)
        {
            Receive<ServerFound>(found => servers[found.Server.Id] = found.Server);
            Receive<ServerUpdated>(updated => servers[updated.Server.Id] = updated.Server);
            Receive<ServerLost>(lost => servers.Remove(lost.Server.Id));
            Receive<Report>(_ => Sender.Tell(servers.Values.ToArray()));
        }

        public sealed record Report
        {
            public static Report Instance { get; } = new();
        }
    }
}
