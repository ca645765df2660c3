using System.CommandLine;
using System.Net;
using Akka.Actor;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;
using Lan.Node.Chat;
using Lan.Node.Hosting;
using Lan.Node.Logging;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node client [--server NAME | HOST:PORT] [--config FILE]</c>: connects to a server (the first found,
/// one by name, or an address), sends each line of standard input as a <c>MESSAGE</c> {TEXT}, prints what
/// arrives, and reconnects when the server comes back. <c>/quit</c> or the end of input says DISCONNECT and exits 0.
/// </summary>
public static class ClientCommand
{
    /// <summary>Builds the <c>client</c> command.</summary>
    public static Command Create()
    {
        var node = new NodeOptions();
        var server = new Option<string?>("--server") { Description = "a server's name, or HOST:PORT; the first server found when left out" };
        var command = new Command("client", "Connect to a server, send lines from standard input, print what arrives");
        node.AddTo(command);
        command.Options.Add(server);
        command.SetAction(async (parse, cancel) =>
        {
            var target = parse.GetValue(server);
            var address = target is not null && IPEndPoint.TryParse(target, out var parsed) && parsed.Port != 0 ? parsed : null;
            if (node.LoadChecked(parse, ("lan.client.auto-connect", address is not null ? "none" : target ?? "first")) is not { } config)
            {
                return ExitCodes.BadUsage;
            }

            var what = address is not null ? $"nothing answered at {address}" : target is not null ? $"no server named {target} was found" : "no server was found";
            return await RunAsync(config, address, Console.In, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancel, what).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Runs the client over <paramref name="input"/> and <paramref name="output"/>; logs go to <paramref name="log"/>.</summary>
    public static async Task<int> RunAsync(HoconConfig config, IPEndPoint? server, TextReader input, TextWriter output, TextWriter log, CancellationToken cancel, string? nobody = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var logger = ProcessLogging.Configure(config, log);
        using var host = NodeHost.Build(builder => builder.AddLanClient(config, ConsoleClient.Create(new PlainChatView(output)), "client"));
        await host.StartAsync(cancel).ConfigureAwait(false);
        var system = host.System();
        var client = await system.StartedActor("/user/client", cancel).ConfigureAwait(false);
        var console = await system.StartedActor("/user/client/handler", cancel).ConfigureAwait(false);
        if (server is not null)
        {
            client.Tell(new ConnectTo(server));
        }

        var left = await ConsoleClient.PumpAsync(input, console, output, cancel).ConfigureAwait(false);
        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return await ConsoleClient.ExitCodeAsync(left, log, nobody ?? "no server answered").ConfigureAwait(false);
    }
}
