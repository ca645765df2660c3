using System.CommandLine;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;
using Lan.Actors.Security;
using Lan.Node.Hosting;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node id [--name NAME] [--config FILE]</c>: this node's ID (created at first use), the short form prompts show,
/// and the folder its key lives in. Each node name has an identity of its own unless <c>lan.node.identity-dir</c> says otherwise.
/// </summary>
public static class IdCommand
{
    /// <summary>Builds the <c>id</c> command.</summary>
    public static Command Create()
    {
        var node = new NodeOptions();
        var command = new Command("id", "Print this node's ID (its certificate's fingerprint) and where its key is kept");
        node.AddTo(command);
        command.SetAction(parse =>
        {
            if (node.LoadChecked(parse) is not { } config)
            {
                return ExitCodes.BadUsage;
            }

            return Run(config, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    /// <summary>Prints the ID of the node <paramref name="config"/> describes, creating its identity if it has none yet.</summary>
    public static int Run(HoconConfig config, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var settings = LanNodeSettings.FromConfig(config);
        try
        {
            using var identity = NodeIdentity.LoadOrCreate(settings.Security.IdentityFolderFor(settings.Node.Name));
            output.WriteLine(identity.Id);
            output.WriteLine($"short: {identity.Id.Short}");
            output.WriteLine($"key: {identity.Folder}");
            return ExitCodes.Done;
        }
        catch (IdentityException e)
        {
            error.WriteLine($"lan-node: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
