using System.CommandLine;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.Security;
using Lan.Node.Hosting;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node trust add ID [--name ALIAS] | list | remove ID|ALIAS</c>, with <c>--node NAME</c> or <c>--config FILE</c>
/// choosing whose trust store (each node name keeps its own, beside its identity). A node that runs meanwhile sees
/// the change at its next look-up.
/// </summary>
public static class TrustCommand
{
    /// <summary>Builds the <c>trust</c> command and its subcommands.</summary>
    public static Command Create()
    {
        var command = new Command("trust", "Add, list or remove the node IDs this node trusts (lan.security.trust = pinned talks only to these)");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static (Option<FileInfo?> Config, Option<string?> Node) StoreOptions(Command command)
    {
        var config = new Option<FileInfo?>("--config", "-c") { Description = "HOCON file to read over the built-in reference.conf" };
        var node = new Option<string?>("--node") { Description = "the node whose trust store to use (lan.node.name)" };
        command.Options.Add(config);
        command.Options.Add(node);
        return (config, node);
    }

    private static Command Add()
    {
        var command = new Command("add", "Trust a node's ID (as lan-node id prints it on that machine)");
        var id = new Argument<string>("ID") { Description = "the node's ID; dashes and case do not matter" };
        var alias = new Option<string?>("--name") { Description = "the name to know it by; send --to NAME then means this ID" };
        command.Arguments.Add(id);
        command.Options.Add(alias);
        var (config, node) = StoreOptions(command);
        command.SetAction(parse => WithStore(parse, config, node, store =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!NodeId.TryParse(parse.GetValue(id), out var parsed, out var problem))
            {
                error.WriteLine($"lan-node: {problem}");
                return ExitCodes.BadUsage;
            }

            var name = parse.GetValue(alias) ?? "";
            if (name.Length > TrustStore.MaxAliasLength || name.Any(char.IsControl))
            {
                error.WriteLine($"lan-node: --name must be at most {TrustStore.MaxAliasLength} printable characters");
                return ExitCodes.BadUsage;
            }

            var changed = store.Add(parsed, name, TrustOrigin.Added);
            parse.InvocationConfiguration.Output.WriteLine($"{(changed ? "trusted" : "already trusted")}: {parsed}{(name.Length > 0 ? $" as {name}" : "")}");
            return ExitCodes.Done;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the trusted IDs: ID, how (Added, Paired, FirstUse), name");
        var (config, node) = StoreOptions(command);
        command.SetAction(parse => WithStore(parse, config, node, store =>
        {
            foreach (var peer in store.Peers)
            {
                // An alias pinned on first use is a name a peer chose.
                parse.InvocationConfiguration.Output.WriteLine($"{peer.Id}\t{peer.Origin}\t{PeerText.ForDisplay(peer.Alias)}");
            }

            return ExitCodes.Done;
        }));
        return command;
    }

    private static Command Remove()
    {
        var command = new Command("remove", "Stop trusting a node: by ID, or every ID known by a name");
        var which = new Argument<string>("ID|NAME") { Description = "the node's ID or its name in the store" };
        command.Arguments.Add(which);
        var (config, node) = StoreOptions(command);
        command.SetAction(parse => WithStore(parse, config, node, store =>
        {
            var removed = store.Remove(parse.GetValue(which)!);
            if (removed.Count == 0)
            {
                parse.InvocationConfiguration.Error.WriteLine($"lan-node: no trusted node is {PeerText.ForDisplay(parse.GetValue(which)!)}; see lan-node trust list");
                return ExitCodes.Failed;
            }

            foreach (var peer in removed)
            {
                parse.InvocationConfiguration.Output.WriteLine($"removed: {peer.Id}\t{PeerText.ForDisplay(peer.Alias)}");
            }

            return ExitCodes.Done;
        }));
        return command;
    }

    private static int WithStore(ParseResult parse, Option<FileInfo?> config, Option<string?> node, Func<TrustStore, int> use)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            var name = parse.GetValue(node);
            var loaded = CliConfiguration.Load(parse.GetValue(config)?.FullName, name is null ? null : $"lan.node.name = {System.Text.Json.JsonSerializer.Serialize(name)}");
            var settings = LanNodeSettings.FromConfig(loaded);
            var folder = settings.Security.IdentityFolderFor(settings.Node.Name);
            return use(TrustStore.Open(Path.Combine(folder, TrustStore.FileName)));
        }
        catch (ConfigException e)
        {
            return NodeHost.ConfigError(e, error);
        }
        catch (IdentityException e)
        {
            error.WriteLine($"lan-node: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
