using System.CommandLine;
using Lan.Node.Commands;

var root = new RootCommand("lan-node: a zero-configuration LAN actor node")
{
    DemoCommand.Create(),
    ConfigCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
