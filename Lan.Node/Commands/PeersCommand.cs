using System.CommandLine;
using Lan.Actors.Hocon;
using Lan.Node.Hosting;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node peers [--timeout 2s] [--config FILE]</c>: the nodes on the LAN that <c>send</c> and <c>msg</c> can
/// reach by name, one per line (name, address:port, app, meta); the listing of <see cref="DiscoverCommand"/>.
/// </summary>
public static class PeersCommand
{
    /// <summary>Builds the <c>peers</c> command.</summary>
    public static Command Create()
    {
        var node = new NodeOptions();
        var timeout = new Option<string>("--timeout") { Description = "how long to listen, e.g. 2s or 500ms", DefaultValueFactory = _ => "2s" };
        var command = new Command("peers", "List the nodes on the LAN: name, address:port (as discover does)");
        node.AddTo(command);
        command.Options.Add(timeout);
        command.SetAction(async (parse, _) =>
        {
            HoconConfig config;
            TimeSpan wait;
            try
            {
                config = node.Load(parse, ("lan.client.auto-connect", "none"));
                if (CliValues.Duration(parse.GetValue(timeout)!, "--timeout", parse.InvocationConfiguration.Error) is not { } parsed)
                {
                    return ExitCodes.BadUsage;
                }

                wait = parsed;
            }
            catch (ConfigException e)
            {
                return NodeHost.ConfigError(e, parse.InvocationConfiguration.Error);
            }

            return await RunAsync(config, wait, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Listens for <paramref name="timeout"/> and prints one line per node found; logs go to <paramref name="log"/>.</summary>
    public static Task<int> RunAsync(HoconConfig config, TimeSpan timeout, TextWriter output, TextWriter log) =>
        DiscoverCommand.RunAsync(config, timeout, json: false, output, log);
}
