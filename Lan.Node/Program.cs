using System.CommandLine;
using Lan.Node.Commands;

var root = new RootCommand("lan-node: a zero-configuration LAN actor node")
{
    ServerCommand.Create(),
    ClientCommand.Create(),
    DiscoverCommand.Create(),
    DemoCommand.Create(),
    ConfigCommand.Create(),
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

return await parse.InvokeAsync();
