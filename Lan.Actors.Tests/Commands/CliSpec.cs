using System.Text.Json;
using Lan.Node.Commands;

namespace Lan.Actors.Tests.Commands;

/// <summary>The commands the README names, run in-process.</summary>
[Collection(ProcessLoggingCollection.Name)]
public sealed class CliSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lan-node-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string RepositoryFile(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void Config_OfLoopbackConf_PrintsTheResolvedTreeAsJson()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = ConfigCommand.Run(RepositoryFile("hocon/loopback.conf"), output, error);
        Assert.Equal(0, exit);
        Assert.Equal("", error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        var lan = json.RootElement.GetProperty("lan");
        Assert.Equal("127.255.255.255", lan.GetProperty("discovery").GetProperty("broadcast-address").GetString());
        // lan-node's own default: quiet, warnings and errors only (-v for INFO, -vv for DEBUG).
        Assert.Equal("WARNING", json.RootElement.GetProperty("akka").GetProperty("loglevel").GetString());
    }

    [Fact]
    public void Config_BadFile_ExitsWith2_AndOneLineNamingFileLineAndPath()
    {
        var file = Path.Combine(_directory, "bad.conf");
        File.WriteAllText(file, "lan {\n  tcp.port = 70000\n}\n");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = ConfigCommand.Run(file, output, error);
        Assert.Equal(ConfigCommand.InvalidConfigExitCode, exit);
        Assert.Equal("", output.ToString());
        var message = error.ToString().Trim();
        Assert.StartsWith("bad.conf:2: lan.tcp.port:", Path.GetFileName(message), StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", message, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public void Config_PrintsTheAkkaPartTheUserWrote_OverTheReferenceDefaults()
    {
        var file = Path.Combine(_directory, "node.conf");
        File.WriteAllText(file, "akka.loglevel = DEBUG\nakka.actor.debug.unhandled = on\nlan.node.name = lobby\n");
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, ConfigCommand.Run(file, output, error));
        using var json = JsonDocument.Parse(output.ToString());
        var akka = json.RootElement.GetProperty("akka");
        Assert.Equal("DEBUG", akka.GetProperty("loglevel").GetString());
        Assert.Equal("on", akka.GetProperty("actor").GetProperty("debug").GetProperty("unhandled").GetString());
        Assert.Equal("5s", akka.GetProperty("actor").GetProperty("ask-timeout").GetString());
        Assert.Equal("lobby", json.RootElement.GetProperty("lan").GetProperty("node").GetProperty("name").GetString());
    }

    [Fact]
    public void Config_UnknownAkkaLogLevel_ExitsWith2_NamingFileAndLine()
    {
        var file = Path.Combine(_directory, "level.conf");
        File.WriteAllText(file, "\nakka.loglevel = LOUD\n");
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(ConfigCommand.InvalidConfigExitCode, ConfigCommand.Run(file, output, error));
        Assert.StartsWith("level.conf:2: akka.loglevel: expected DEBUG, INFO, WARNING, ERROR or OFF", Path.GetFileName(error.ToString().Trim()), StringComparison.Ordinal);
    }

    [Fact]
    public void Config_HostileFile_ExitsWith2_NotACrash()
    {
        var file = Path.Combine(_directory, "deep.conf");
        File.WriteAllText(file, string.Join('.', Enumerable.Repeat("a", 1001)) + " = 1\n");
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(ConfigCommand.InvalidConfigExitCode, ConfigCommand.Run(file, output, error));
        Assert.Contains("deep.conf:1:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Config_MissingFile_ExitsWith2()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(ConfigCommand.InvalidConfigExitCode, ConfigCommand.Run(Path.Combine(_directory, "absent.conf"), output, error));
        Assert.Contains("absent.conf", error.ToString(), StringComparison.Ordinal);
    }
}
