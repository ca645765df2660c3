using Akka.Actor;
using Akka.Event;
using Lan.Actors.Nodes;
using Lan.Node.Hosting;
using Lan.Node.Logging;

namespace Lan.Actors.Tests.Commands;

/// <summary>Where lan-node's log lines go, in-process: the defaults layer, and Akka's last-resort logger kept off standard output.</summary>
[Collection(ProcessLoggingCollection.Name)]
public sealed class CliLoggingSpec
{
    [Fact]
    public async Task TheDefaults_AreQuiet_LogThroughSerilog_AndKeepAkkasOwnPrintsOffStandardOutput()
    {
        var config = CliConfiguration.Load(path: null, overrides: null);
        Assert.Equal("WARNING", config.GetString("akka.loglevel"));
        using var system = LanActorSystem.Create("cli-logging", config);
        Assert.IsType<StandardErrorLogger>(system.Settings.StdoutLogger);
        Assert.Equal(["Akka.Logger.Serilog.SerilogLogger"], system.Settings.Loggers.Select(name => name.Split(',')[0].Trim()));
        await system.Terminate();
    }

    [Fact]
    public void AUsersFile_MayStillAskForInfo_AndTheFlagsWinOverIt()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cli-logging-{Guid.NewGuid():N}.conf");
        File.WriteAllText(file, "akka.loglevel = INFO\n");
        try
        {
            Assert.Equal("INFO", CliConfiguration.Load(file, overrides: null).GetString("akka.loglevel"));
            Assert.Equal("DEBUG", CliConfiguration.Load(file, "akka.loglevel = DEBUG").GetString("akka.loglevel"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void WhatAkkaDrainsAtShutdown_GoesToTheProcessLogger_OnItsWriter_NotToStandardOutput()
    {
        using var written = new StringWriter();
        using var logger = ProcessLogging.Configure(CliConfiguration.Load(path: null, overrides: null), written);

        var lastResort = new StandardErrorLogger();
        lastResort.Tell(new Warning("akka://cli/user/chat", typeof(CliLoggingSpec), "a line drained at shutdown"));
        lastResort.Tell(new Info("akka://cli/user/chat", typeof(CliLoggingSpec), "below the level: not shown"));

        Assert.Contains("WRN] akka://cli/user/chat: a line drained at shutdown", written.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("below the level", written.ToString(), StringComparison.Ordinal);
    }
}
