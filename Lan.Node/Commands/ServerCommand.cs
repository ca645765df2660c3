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
/// <c>lan-node server [--name NAME] [--handler echo|chat] [--config FILE] [--port N]</c>: a server node that
/// announces itself and logs who comes and goes; Ctrl+C or SIGTERM stops it through CoordinatedShutdown
/// (SERVER_BYE, DISCONNECT to every peer) with exit code 0.
/// </summary>
public static class ServerCommand
{
    /// <summary>Builds the <c>server</c> command.</summary>
    public static Command Create()
    {
        var node = new NodeOptions();
        var handler = new Option<string>("--handler") { Description = "echo | chat", DefaultValueFactory = _ => "chat" };
        handler.AcceptOnlyFromAmong("echo", "chat");
        var port = new Option<int?>("--port") { Description = "TCP port to listen on (lan.tcp.port); 0 lets the OS choose" };
        var command = new Command("server", "Run a server node: announce it on the LAN and serve its handler");
        node.AddTo(command);
        command.Options.Add(handler);
        command.Options.Add(port);
        command.SetAction(async (parse, cancel) =>
        {
            if (node.LoadChecked(parse, ("lan.tcp.port", parse.GetValue(port)?.ToString(CultureInfo.InvariantCulture))) is not { } config)
            {
                return ExitCodes.BadUsage;
            }

            var props = parse.GetValue(handler) == "echo" ? Props.Create<EchoHandler>() : Props.Create<ChatRoomHandler>();
            return await RunAsync(config, props, cancel).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Runs the server until <paramref name="stop"/> fires or the process is told to stop.</summary>
    public static async Task<int> RunAsync(HoconConfig config, Props handler, CancellationToken stop)
    {
        using var logger = ProcessLogging.Configure(config);
        using var host = NodeHost.Build(builder => builder.AddLanServer(config, handler));
        try
        {
            // The host handles Ctrl+C and SIGTERM; Akka.Hosting then runs CoordinatedShutdown, whose
            // service-unbind phase says SERVER_BYE and DISCONNECT before the system stops.
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
