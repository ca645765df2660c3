using System.CommandLine;
using System.Text.Json;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;

namespace Lan.Node.Hosting;

/// <summary>The options every command that starts a node shares, turned into configuration.</summary>
internal sealed class NodeOptions
{
    public Option<FileInfo?> Config { get; } = new("--config", "-c") { Description = "HOCON file to read over the built-in reference.conf" };

    public Option<string?> Name { get; } = new("--name") { Description = "this node's name (lan.node.name)" };

    public Option<string?> LogLevel { get; } = new("--log-level") { Description = "DEBUG, INFO, WARNING, ERROR or OFF (akka.loglevel)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(Name);
        command.Options.Add(LogLevel);
    }

    /// <summary>
    /// <see cref="Load"/>, and every <c>lan.*</c> setting checked; on a bad configuration its one line
    /// (file:line: path: what to do) goes to the command's error output and the result is null (exit code 2).
    /// </summary>
    public HoconConfig? LoadChecked(ParseResult parse, params (string Path, string? Value)[] more)
    {
        try
        {
            var config = Load(parse, more);
            _ = LanNodeSettings.FromConfig(config);
            return config;
        }
        catch (ConfigException e)
        {
            NodeHost.ConfigError(e, parse.InvocationConfiguration.Error);
            return null;
        }
    }

    /// <summary>The file over reference.conf, with the flags over both; <paramref name="more"/> adds command-specific settings.</summary>
    /// <exception cref="ConfigException">The file, or a value from a flag, is invalid.</exception>
    public HoconConfig Load(ParseResult parse, params (string Path, string? Value)[] more)
    {
        var overrides = new List<string>();
        void Set(string path, string? value)
        {
            if (value is not null)
            {
                // JSON string syntax is HOCON's quoted string: any name survives intact.
                overrides.Add($"{path} = {JsonSerializer.Serialize(value)}");
            }
        }

        Set("lan.node.name", parse.GetValue(Name));
        Set("akka.loglevel", parse.GetValue(LogLevel)?.ToUpperInvariant() ?? GlobalOptions.LogLevel(parse));
        foreach (var (path, value) in more)
        {
            Set(path, value);
        }

        return CliConfiguration.Load(parse.GetValue(Config)?.FullName, string.Join('\n', overrides));
    }
}
