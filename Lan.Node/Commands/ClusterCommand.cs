using System.CommandLine;
using System.Text.Json;
using Akka.Actor;
using Lan.Actors.Cluster;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Node.Hosting;
using Lan.Node.Logging;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node cluster [--json] [--timeout 5s]</c>: finds a node of the cluster <c>lan.cluster.name</c> by discovery (the
/// least loaded one the trust policy allows), asks it over a LAN connection (<c>CLUSTER_STATE</c>) and prints the members
/// (address, status, roles), the leader and the unreachable ones; exit 1 when no node of the cluster answered in time.
/// </summary>
public static class ClusterCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = false };

    /// <summary>Builds the <c>cluster</c> command.</summary>
    public static Command Create()
    {
        var node = new NodeOptions();
        var json = new Option<bool>("--json") { Description = "print the answer as one JSON object" };
        var timeout = new Option<string>("--timeout") { Description = "how long to look for the cluster and wait for its answer, e.g. 5s", DefaultValueFactory = _ => "5s" };
        var command = new Command("cluster", "Show the LAN cluster (lan.cluster.name): members, leader, unreachable members");
        node.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(timeout);
        command.SetAction(async (parse, cancel) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (CliValues.Duration(parse.GetValue(timeout)!, "--timeout", error) is not { } wait)
            {
                return ExitCodes.BadUsage;
            }

            HoconConfig config;
            string name;
            try
            {
                config = node.Load(parse);
                name = LanClusterSettings.FromConfig(config).Name;
                config = node.Load(parse, ("lan.client.auto-connect", name));
                _ = LanNodeSettings.FromConfig(config);
            }
            catch (ConfigException e)
            {
                return NodeHost.ConfigError(e, error);
            }

            return await RunAsync(config, name, parse.GetValue(json), wait, parse.InvocationConfiguration.Output, error, cancel).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Asks a node of <paramref name="cluster"/> and prints its answer; logs and errors go to <paramref name="log"/>.</summary>
    public static async Task<int> RunAsync(HoconConfig config, string cluster, bool json, TimeSpan wait, TextWriter output, TextWriter log, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(log);
        using var logger = ProcessLogging.Configure(config, log);
        var answered = new TaskCompletionSource<(ClusterStateReport Report, string Server)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = NodeHost.Build(builder => builder.AddLanClient(config, Props.Create(() => new StateAsker(answered)), "cluster"));
        await host.StartAsync(cancel).ConfigureAwait(false);
        try
        {
            if (await Task.WhenAny(answered.Task, Task.Delay(wait, cancel)).ConfigureAwait(false) != answered.Task)
            {
                await log.WriteLineAsync($"no node of cluster {cluster} answered within {wait.TotalSeconds:0.#} s (is lan-node server --cluster running, with the same lan.cluster.name?)").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            var (report, server) = await answered.Task.ConfigureAwait(false);
            if (json)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(report, Json)).ConfigureAwait(false);
            }
            else
            {
                Print(report, server, output);
            }

            return ExitCodes.Done;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    // Every string here came from a peer: shown through PeerText, so none can drive the terminal.
    private static void Print(ClusterStateReport report, string server, TextWriter output)
    {
        static string Shown(string text) => PeerText.ForDisplay(text);
        output.WriteLine($"cluster {Shown(report.Cluster)}, as {Shown(report.Self)} (reached at {server}) sees it");
        output.WriteLine($"leader: {(report.Leader.Length == 0 ? "none" : Shown(report.Leader))}");
        var width = report.Members.Select(member => Shown(member.Address).Length).Append("ADDRESS".Length).Max();
        output.WriteLine($"{"ADDRESS".PadRight(width)}  {"STATUS",-8}  ROLES");
        foreach (var member in report.Members)
        {
            output.WriteLine($"{Shown(member.Address).PadRight(width)}  {Shown(member.Status),-8}  {Shown(string.Join(",", member.Roles))}");
        }

        output.WriteLine($"unreachable: {(report.Unreachable.Count == 0 ? "none" : string.Join(", ", report.Unreachable.Select(Shown)))}");
        output.WriteLine($"{report.Members.Count(member => member.Status == "Up")} up of {report.Members.Count} member(s)");
    }

    /// <summary>Asks the first node it is connected to for its <c>CLUSTER_STATE</c>.</summary>
    private sealed class StateAsker : ReceiveActor
    {
        public StateAsker(TaskCompletionSource<(ClusterStateReport, string)> answered)
        {
            var server = "";
            Receive<Connected>(connected =>
            {
                server = connected.Peer.EndPoint.ToString();
                connected.Connection.Tell(new Send(Packet.Create(ClusterStateReport.PacketType).Build()));
            });
            Receive<Received>(received =>
            {
                if (ClusterStateReport.FromPacket(received.Packet) is { } report)
                {
                    answered.TrySetResult((report, server));
                }
            });
            ReceiveAny(_ => { });
        }
    }
}
