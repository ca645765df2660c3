using System.CommandLine;
using System.Globalization;
using Akka.Actor;
using Akka.Hosting;
using Lan.Actors.Filer;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.Security;
using Lan.Node.Filer;
using Lan.Node.Hosting;
using Lan.Node.Logging;
using Microsoft.Extensions.Hosting;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node receive [--dir DIR] [--accept trusted|ask|all] [--name NAME] [--config FILE]</c>: a server node, found by its
/// name or at HOST:PORT, that writes the files peers send into DIR (a <see cref="FileReceiverHandler"/>) and prints
/// one line per transfer started, completed (with the final path) or failed, and one per short message
/// (<c>from NAME: TEXT</c>), until Ctrl+C or SIGTERM (exit 0). By default (<c>--accept trusted</c>) it takes files only
/// from nodes whose proven ID a person trusted (<see cref="TrustedSenders"/>); with <c>--accept ask</c> it asks on
/// standard input about each offer (<see cref="OfferPrompt"/>), showing the sender's verified ID; <c>--accept all</c>
/// takes every safe offer and says so at start. A folder it cannot write to is exit code 2.
/// </summary>
public static class ReceiveCommand
{
    /// <summary>Builds the <c>receive</c> command.</summary>
    public static Command Create()
    {
        var node = new NodeOptions();
        var dir = new Option<DirectoryInfo?>("--dir") { Description = "the folder files land in (created when missing); the current directory when left out" };
        var accept = new Option<string>("--accept")
        {
            Description = "trusted: files from nodes you trusted (lan-node trust add, pair) only; ask: ask about each offer on standard input (y/N); all: every safe offer",
            DefaultValueFactory = _ => "trusted",
        };
        accept.AcceptOnlyFromAmong("trusted", "ask", "all");
        var web = WebOption.Create();
        var command = new Command("receive", "Receive files and short messages from peers into a folder");
        node.AddTo(command);
        command.Options.Add(dir);
        command.Options.Add(accept);
        command.Options.Add(web);
        command.SetAction(async (parse, cancel) =>
        {
            if (node.LoadChecked(parse) is not { } config)
            {
                return ExitCodes.BadUsage;
            }

            var folder = parse.GetValue(dir)?.FullName ?? Directory.GetCurrentDirectory();
            var policy = parse.GetValue(accept) switch
            {
                "ask" => OfferPolicy.Ask,
                "all" => OfferPolicy.All,
                _ => OfferPolicy.Trusted,
            };
            (System.Net.IPAddress, int)? page = null;
            if (parse.GetValue(web) is { } webText)
            {
                if (WebOption.Parse(webText, out var problem) is not { } parsed)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync(problem).ConfigureAwait(false);
                    return ExitCodes.BadUsage;
                }

                page = parsed;
                WebOption.WarnIfExposed(parsed.Host, parse.InvocationConfiguration.Error);
            }

            return await RunAsync(config, folder, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancel, policy == OfferPolicy.Ask && page is null ? Console.In : null, policy, page).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Receives into <paramref name="folder"/> until <paramref name="stop"/> fires or the process is told to stop.</summary>
    /// <param name="config">The node's configuration (<c>lan.node.name</c> is the name peers find it by).</param>
    /// <param name="folder">The receive folder; created when missing.</param>
    /// <param name="output">Where the event lines go; the first says where the node listens.</param>
    /// <param name="log">Where log lines and errors go.</param>
    /// <param name="stop">Stops the node (exit 0).</param>
    /// <param name="ask">Where the answers come from with <c>--accept ask</c>.</param>
    /// <param name="policy">Whose offers are taken; <see cref="OfferPolicy.Ask"/> when <paramref name="ask"/> is given, else every safe offer when left out.</param>
    /// <param name="web">Where to serve the node's page (<c>--web</c>); with <c>--accept ask</c> the offers wait there instead of on standard input.</param>
    public static async Task<int> RunAsync(
        HoconConfig config, string folder, TextWriter output, TextWriter log, CancellationToken stop, TextReader? ask = null, OfferPolicy? policy = null, (System.Net.IPAddress Host, int Port)? web = null)
    {
        var accept = policy ?? (ask is null ? OfferPolicy.All : OfferPolicy.Ask);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(log);
        if (Unwritable(folder) is { } reason)
        {
            await log.WriteLineAsync($"cannot receive into {folder}: {reason}").ConfigureAwait(false);
            return ExitCodes.BadUsage;
        }

        var settings = LanNodeSettings.FromConfig(config);
        if (accept == OfferPolicy.Trusted && settings.Security.Mode == SecurityMode.Open)
        {
            await log.WriteLineAsync("--accept trusted needs lan.security.mode = tls: in open mode no sender proves who it is; use --accept ask or all").ConfigureAwait(false);
            return ExitCodes.BadUsage;
        }

        TrustStore? store = null;
        if (settings.Security.Mode == SecurityMode.Tls)
        {
            try
            {
                settings = settings with { Security = settings.Security.WithIdentityOf(settings.Node.Name) };
                store = settings.Security.TrustStore;
            }
            catch (IdentityException e)
            {
                await log.WriteLineAsync($"lan-node: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
        }

        if (accept == OfferPolicy.All)
        {
            await log.WriteLineAsync("warning: accepting files from any node that connects (--accept all)").ConfigureAwait(false);
        }

        var lines = TextWriter.Synchronized(output);
        using var logger = ProcessLogging.Configure(config, log);
        await using var page = new DisposeLater();
        return await NodeHost.RunListeningAsync(config, async system =>
        {
            var printer = system.ActorOf(Props.Create(() => new Printer(lines)), "printer");
            system.EventStream.Subscribe(printer, typeof(TransferStarted));
            system.EventStream.Subscribe(printer, typeof(TransferCompleted));
            system.EventStream.Subscribe(printer, typeof(TransferFailed));
            system.EventStream.Subscribe(printer, typeof(ShortMessageReceived));
            var desk = web is not null && accept == OfferPolicy.Ask ? WebOption.OfferDesk(system) : null;
            var decider = accept switch
            {
                OfferPolicy.Ask when desk is not null => desk,
                OfferPolicy.Ask => system.ActorOf(OfferPrompt.Props(ask ?? Console.In, lines, store: store), "ask"),
                OfferPolicy.Trusted => system.ActorOf(TrustedSenders.Props(store!), "trusted"),
                _ => null,
            };
            var options = FileReceiverOptions.FromConfig(folder, config) with { Decider = decider };
            var server = await LanNode.StartServerAsync(system, settings, FilerInbox.Props(options), new ServerOptions { Name = "receive" }).ConfigureAwait(false);
            await lines.WriteLineAsync($"receiving into {folder} as {settings.Node.Name} on {server.LocalEndPoint}").ConfigureAwait(false);
            if (web is { } at)
            {
                page.Hold(await WebOption.StartFilesAsync(system, settings, server, desk, at, lines).ConfigureAwait(false));
            }

            return server.Node;
        }, log, stop).ConfigureAwait(false);
    }

    /// <summary>Why nothing can be written into <paramref name="folder"/> (creating it if missing), or null when a probe file could be.</summary>
    internal static string? Unwritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            // A hidden name: SafeFileName refuses hidden names, so no received file can ever be called this.
            var probe = Path.Combine(folder, $".lan-node-probe-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return e.Message;
        }
    }

    /// <summary>Whose file offers <c>receive</c> takes.</summary>
    public enum OfferPolicy
    {
        /// <summary>Those of nodes a person trusted (TLS mode only).</summary>
        Trusted,

        /// <summary>Those the person at the terminal says yes to.</summary>
        Ask,

        /// <summary>Every safe one.</summary>
        All,
    }

    /// <summary>One line per event of the receiving side.</summary>
    private sealed class Printer : ReceiveActor
    {
        public Printer(TextWriter output)
        {
            // Names, reasons and messages come from the senders: escaped (PeerText), so a "\n" cannot fake a second line.
            Receive<TransferStarted>(started => started.Direction == TransferDirection.Receiving, started => output.WriteLine(started.From > 0
                ? string.Create(CultureInfo.InvariantCulture, $"resuming {Safe(started.Name)} at {started.From} of {started.Size} bytes")
                : string.Create(CultureInfo.InvariantCulture, $"receiving {Safe(started.Name)} ({started.Size} bytes)")));
            Receive<TransferCompleted>(done => done.Direction == TransferDirection.Receiving, done => output.WriteLine($"received {Safe(done.Name)} -> {Safe(done.Path)}"));
            Receive<TransferFailed>(failed => failed.Direction == TransferDirection.Receiving, failed => output.WriteLine($"failed {Safe(failed.Name)}: {Safe(failed.Reason)}"));
            Receive<ShortMessageReceived>(message => output.WriteLine($"from {Safe(message.From)}: {Safe(message.Text)}"));
            ReceiveAny(_ => { });
        }

        protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

        private static string Safe(string text) => PeerText.ForDisplay(text);
    }
}
