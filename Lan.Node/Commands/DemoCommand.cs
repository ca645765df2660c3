using System.CommandLine;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;
using Lan.Node.Demo;
using Lan.Node.Hosting;
using Lan.Node.Logging;
using Spectre.Console;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node demo [--clients N] [--seconds S] [--seed N]</c>: the first seed's simulation over real loopback
/// sockets in one process. A server and N chaos clients found by discovery; clients drop without DISCONNECT,
/// the server closes connections, clients reconnect; a live table, then a summary that checks every end
/// against what each side did, and that nothing was left behind.
/// </summary>
public static class DemoCommand
{
    /// <summary>Builds the <c>demo</c> command.</summary>
    public static Command Create()
    {
        var clients = new Option<int>("--clients") { Description = "chaos clients running at any time", DefaultValueFactory = _ => 10 };
        var seconds = new Option<int>("--seconds") { Description = "how long new clients keep coming", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "seed of every random choice; the same seed makes the same choices", DefaultValueFactory = _ => 1 };
        var config = new Option<FileInfo?>("--config", "-c") { Description = "HOCON file over reference.conf; the demo's loopback settings override its network keys" };
        var logLevel = new Option<string?>("--log-level") { Description = "DEBUG, INFO, WARNING (the demo's default), ERROR or OFF" };
        var command = new Command("demo", "Run the first seed's chaos simulation over loopback sockets: clients drop, the server closes, supervision sorts it out")
        {
            clients, seconds, seed, config, logLevel,
        };
        Between(clients, 1, 500);
        Between(seconds, 1, 3600);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            var plan = new DemoPlan(parse.GetValue(clients), TimeSpan.FromSeconds(parse.GetValue(seconds)), parse.GetValue(seed));
            var level = parse.GetValue(logLevel) ?? GlobalOptions.LogLevel(parse);
            return RunAsync(plan, parse.GetValue(config)?.FullName, level, GlobalOptions.IsVerbose(parse), output, parse.InvocationConfiguration.Error, live);
        });
        return command;
    }

    private static void Between(Option<int> option, int least, int most) => option.Validators.Add(result =>
    {
        var value = result.GetValueOrDefault<int>();
        if (value < least || value > most)
        {
            result.AddError($"{option.Name} must be between {least} and {most}, not {value}");
        }
    });

    /// <summary>Runs the demo; 0 when every connection ended as expected and nothing leaked, 1 otherwise, 2 for a bad configuration.</summary>
    public static async Task<int> RunAsync(DemoPlan plan, string? configFile, string? logLevel, bool verbose, TextWriter output, TextWriter error, bool live = false)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(output);
        HoconConfig config;
        try
        {
            var level = logLevel is null ? "" : $"akka.loglevel = {logLevel.ToUpperInvariant()}\n";
            config = CliConfiguration.Load(configFile, level + ChaosDemo.LoopbackOverrides(ChaosDemo.FreeUdpPort()));
            _ = ProcessLogging.Level(config);
            // Every lan.* setting is checked here, so a bad file is exit code 2 with its file:line, not a crash later.
            _ = LanNodeSettings.FromConfig(config);
        }
        catch (ConfigException e)
        {
            return NodeHost.ConfigError(e, error);
        }

        using var logger = ProcessLogging.Configure(config, error, stackTraces: verbose);
        output.WriteLine($"demo: {plan.Clients} chaos clients at a time for {plan.Duration.TotalSeconds:F0} s, seed {plan.Seed}; p(drop) = q(close) = 0.1; all on 127.0.0.1");
        IDemoView view = live ? new LiveDemoView(AnsiConsole.Console) : new PlainDemoView(output);
        var outcome = await ChaosDemo.RunAsync(config, plan, view).ConfigureAwait(false);
        DemoSummary.Write(outcome, output);
        return outcome.Clean ? ExitCodes.Done : ExitCodes.Failed;
    }
}
