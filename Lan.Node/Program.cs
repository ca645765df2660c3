using System.CommandLine;
using Lan.Node.Commands;

var root = new RootCommand("lan-node: a zero-configuration LAN actor node")
{
    ConfigCommand.Create(),
};
return root.Parse(args).Invoke();
