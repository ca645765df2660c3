using System.CommandLine;
using Lan.Node.Commands;
using Lan.Node.Hosting;
using Lan.Node.Logging;

var root = new RootCommand("lan-node: a zero-configuration LAN actor node")
{
    ServerCommand.Create(),
    ClientCommand.Create(),
    RegistryCommand.Create(),
    DiscoverCommand.Create(),
    ChatCommand.Create(),
    DemoCommand.Create(),
    ConfigCommand.Create(),
    ReceiveCommand.Create(),
    SendCommand.Create(),
    MsgCommand.Create(),
    PeersCommand.Create(),
    IdCommand.Create(),
    TrustCommand.Create(),
    PairCommand.Create(),
    ClusterCommand.Create(),
    GlobalOptions.Verbose,
    MetricsEndpoint.Option,
};
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // Bad usage is exit code 2, as a bad configuration is; the message says what was wrong.
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync(error.Message);
    }

    await Console.Error.WriteLineAsync("see: lan-node --help");
    return 2;
}

ProcessLogging.ShowStackTraces = GlobalOptions.IsVerbose(parse);
if (MetricsEndpoint.Start(parse, Console.Error, out var metrics) is var failed and not 0)
{
    return failed;
}

using var metricsEndpoint = metrics;
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is not OperationCanceledException)
{
    // A failure at run time is exit code 1 with what went wrong; the stack trace is for -v.
    await Console.Error.WriteLineAsync($"lan-node: {e.Message}");
    if (GlobalOptions.IsVerbose(parse))
    {
        await Console.Error.WriteLineAsync(e.ToString());
    }

    return 1;
}
