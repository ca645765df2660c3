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
        var port = CliValues.PortOption("TCP port to listen on (lan.tcp.port); 0 lets the OS choose");
        var command = new Command("registry", "Run a registry: nodes on networks without broadcast find each other through it");
        node.AddTo(command);
        command.Options.Add(port);
        command.SetAction(async (parse, cancel) =>
        {
            if (node.LoadChecked(parse, ("lan.tcp.port", parse.GetValue(port)?.ToString(CultureInfo.InvariantCulture))) is not { } config)
            {
                return ExitCodes.BadUsage;
            }

            return await RunAsync(config, parse.InvocationConfiguration.Output, cancel, parse.InvocationConfiguration.Error).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Runs the registry until <paramref name="stop"/> fires or the process is told to stop; says where it listens on <paramref name="output"/>.</summary>
    /// <remarks>A port it cannot have is one line on <paramref name="error"/> (standard error when null) and exit code 1.</remarks>
    public static async Task<int> RunAsync(HoconConfig config, TextWriter output, CancellationToken stop, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        var settings = LanNodeSettings.FromConfig(config);
        using var logger = ProcessLogging.Configure(config);
        return await NodeHost.RunListeningAsync(config, async system =>
        {
            var registry = await LanNode.StartRegistryAsync(system, settings).ConfigureAwait(false);
            await output.WriteLineAsync($"registry listening on {registry.LocalEndPoint}; nodes set lan.discovery.registry = \"HOST:{registry.LocalEndPoint.Port}\"").ConfigureAwait(false);
            return registry.Node;
        }, error ?? Console.Error, stop).ConfigureAwait(false);
    }
}
