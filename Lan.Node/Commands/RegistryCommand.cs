using System.CommandLine;
using System.Globalization;
using Akka.Hosting;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;
using Lan.Node.Hosting;
using Lan.Node.Logging;
using Microsoft.Extensions.Hosting;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node registry [--port N] [--config FILE]</c>: the registry (the second seed's ip_server) for networks
/// broadcast does not cross. Nodes with <c>lan.discovery.registry = "host:port"</c> report themselves to it and
/// get the list of every registered node; Ctrl+C or SIGTERM stops it with exit code 0.
/// </summary>
public static class RegistryCommand
{
    /// <summary>Builds the <c>registry</c> command.</summary>
    public static Command Create()
    {
        var node = new NodeOptions();
        var port = new Option<int?>("--port") { Description = "TCP port to listen on (lan.tcp.port); 0 lets the OS choose" };
        var command = new Command("registry", "Run a registry: nodes on networks without broadcast find each other through it");
        node.AddTo(command);
        command.Options.Add(port);
        command.SetAction(async (parse, cancel) =>
        {
            if (node.LoadChecked(parse, ("lan.tcp.port", parse.GetValue(port)?.ToString(CultureInfo.InvariantCulture))) is not { } config)
            {
                return ExitCodes.BadUsage;
            }

            return await RunAsync(config, parse.InvocationConfiguration.Output, cancel).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Runs the registry until <paramref name="stop"/> fires or the process is told to stop; says where it listens on <paramref name="output"/>.</summary>
    public static async Task<int> RunAsync(HoconConfig config, TextWriter output, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        var settings = LanNodeSettings.FromConfig(config);
        using var logger = ProcessLogging.Configure(config);
        using var host = NodeHost.Build(builder => builder
            .AddHocon(config.ToAkkaConfig(), HoconAddMode.Prepend)
            .AddStartup(async (system, _) =>
            {
                var registry = await LanNode.StartRegistryAsync(system, settings).ConfigureAwait(false);
                await output.WriteLineAsync($"registry listening on {registry.LocalEndPoint}; nodes set lan.discovery.registry = \"HOST:{registry.LocalEndPoint.Port}\"").ConfigureAwait(false);
            }));
        try
        {
            await host.RunAsync(stop).ConfigureAwait(false);
            return ExitCodes.Done;
        }
        catch (InvalidOperationException e)
        {
            // The listener could not bind: the message names the address and the cause.
            logger.Error("{Reason}", e.Message);
            return ExitCodes.Failed;
        }
    }
}
