using System.CommandLine;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.Io;
using Lan.Node.Hosting;
using Lan.Node.Logging;
using Lan.Actors.Discovery;

namespace Lan.Node.Commands;

/// <summary><c>lan-node config [--config FILE]</c>: prints the configuration a node would run with, as JSON.</summary>
public static class ConfigCommand
{
    /// <summary>Exit code for a configuration that cannot be read or resolved.</summary>
    public const int InvalidConfigExitCode = 2;

    /// <summary>Builds the <c>config</c> command.</summary>
    public static Command Create()
    {
        var file = new Option<FileInfo?>("--config", "-c")
        {
            Description = "HOCON file to read over the built-in reference.conf",
        };
        var command = new Command("config", "Print the fully resolved configuration (FILE over reference.conf, substitutions and environment applied) as JSON")
        {
            file,
        };
        command.SetAction(parse => Run(
            parse.GetValue(file)?.ToString(),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Writes the resolved configuration to <paramref name="output"/>, or the error to <paramref name="error"/>.</summary>
    /// <param name="path">The user's HOCON file, or null for reference.conf alone.</param>
    /// <param name="output">Receives the JSON.</param>
    /// <param name="error">Receives a one-line <c>file:line: path: message</c> when the configuration cannot be
    /// read or resolved, or a setting of <c>lan.*</c> or <c>akka.loglevel</c> is invalid.</param>
    /// <returns>0 on success, <see cref="InvalidConfigExitCode"/> for an invalid configuration.</returns>
    public static int Run(string? path, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            // What a command would run with: lan-node's own defaults (quiet logging) are part of it.
            var config = CliConfiguration.Load(path, overrides: null);
            // Building the settings checks types and ranges, so a value the node would refuse is reported here too.
            _ = NodeSettings.FromConfig(config);
            _ = LanTcpSettings.FromConfig(config);
            _ = DiscoverySettings.FromConfig(config);
            _ = ProcessLogging.Level(config);
            _ = ProtocolSettings.FromConfig(config);
            output.WriteLine(config.ToJson());
            return 0;
        }
        catch (ConfigException e)
        {
            // The message already says file:line: path: what to do; a stack trace would only hide it.
            error.WriteLine(e.Message);
            return InvalidConfigExitCode;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // Anything the reader did not turn into a ConfigException is still a bad input, not a crash.
            error.WriteLine($"{path ?? "reference.conf"}: {e.Message}");
            return InvalidConfigExitCode;
        }
    }
}
