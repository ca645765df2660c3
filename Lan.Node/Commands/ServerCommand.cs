using System.CommandLine;
using System.Globalization;
using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;
using Lan.Node.Hosting;
using Lan.Node.Logging;
using Microsoft.Extensions.Hosting;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node server [--name NAME] [--handler echo|chat] [--cluster] [--config FILE] [--port N]</c>: a server node that
/// announces itself and logs who comes and goes; Ctrl+C or SIGTERM stops it through CoordinatedShutdown
/// (SERVER_BYE, DISCONNECT to every peer) with exit code 0.
/// </summary>
public static partial class ServerCommand
{
    /// <summary>Builds the <c>server</c> command.</summary>
    public static Command Create()
    {
        var node = new NodeOptions();
        var handler = new Option<string>("--handler") { Description = "echo | chat", DefaultValueFactory = _ => "chat" };
        handler.AcceptOnlyFromAmong("echo", "chat");
        var port = CliValues.PortOption("TCP port to listen on (lan.tcp.port); 0 lets the OS choose");
        var web = WebOption.Create();
        var cluster = new Option<bool>("--cluster") { Description = "form or join the LAN cluster lan.cluster.name (no seed nodes) and serve its chat room across every node" };
        var command = new Command("server", "Run a server node: announce it on the LAN and serve its handler");
        node.AddTo(command);
        command.Options.Add(handler);
        command.Options.Add(port);
        command.Options.Add(cluster);
        command.Options.Add(web);
        command.SetAction(async (parse, cancel) =>
        {
            if (node.LoadChecked(parse, ("lan.tcp.port", parse.GetValue(port)?.ToString(CultureInfo.InvariantCulture))) is not { } config)
            {
                return ExitCodes.BadUsage;
            }

            if (parse.GetValue(cluster))
            {
                if (parse.GetValue(web) is not null)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync("lan-node: --web is not served by a cluster member yet; run the page on a node without --cluster").ConfigureAwait(false);
                    return ExitCodes.BadUsage;
                }

                if (parse.GetValue(handler) == "echo")
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync("lan-node: --cluster serves the chat room across the cluster; leave out --handler echo").ConfigureAwait(false);
                    return ExitCodes.BadUsage;
                }

                return await RunClusterAsync(config, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancel).ConfigureAwait(false);
            }

            (System.Net.IPAddress, int)? page = null;
            if (parse.GetValue(web) is { } webText)
            {
                if (WebOption.Parse(webText, out var problem) is not { } parsed)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync(problem).ConfigureAwait(false);
                    return ExitCodes.BadUsage;
                }

                page = parsed;
                WebOption.WarnIfExposed(parsed.Host, parse.InvocationConfiguration.Error);
            }

            var isChat = parse.GetValue(handler) != "echo";
            var props = isChat ? Props.Create<ChatRoomHandler>() : Props.Create<EchoHandler>();
            return await RunAsync(config, props, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancel, page, isChat).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// Runs the server until <paramref name="stop"/> fires or the process is told to stop; says where it listens on
    /// <paramref name="output"/>, and a port it cannot have in one line on <paramref name="error"/> (exit code 1).
    /// </summary>
    /// <param name="config">The node's configuration.</param>
    /// <param name="handler">Props of its handler.</param>
    /// <param name="output">Where it says where it listens (and where its page is).</param>
    /// <param name="error">Where a failure to start is said.</param>
    /// <param name="stop">Stops it.</param>
    /// <param name="web">Where to serve the node's web page (<c>--web</c>); null for none.</param>
    /// <param name="chat">True when the handler is the chat room, which the page then joins.</param>
    public static async Task<int> RunAsync(
        HoconConfig config, Props handler, TextWriter output, TextWriter error, CancellationToken stop, (System.Net.IPAddress Host, int Port)? web = null, bool chat = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        var settings = LanNodeSettings.FromConfig(config);
        using var logger = ProcessLogging.Configure(config);
        await using var page = new DisposeLater();
        return await NodeHost.RunListeningAsync(config, async system =>
        {
            var server = await LanNode.StartServerAsync(system, settings, handler).ConfigureAwait(false);
            await output.WriteLineAsync($"{settings.Node.Name} listening on {server.LocalEndPoint}; Ctrl+C stops it").ConfigureAwait(false);
            if (web is { } at)
            {
                page.Hold(await WebOption.StartAsync(system, settings, server, chat, at, output).ConfigureAwait(false));
            }

            return server.Node;
        }, error, stop).ConfigureAwait(false);
    }
}
