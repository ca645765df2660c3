using System.CommandLine;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Hosting;
using Lan.Actors.Filer;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Node.Filer;
using Lan.Node.Hosting;
using Lan.Node.Logging;
using Spectre.Console;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node send FILE... --to PEER [--config FILE]</c>: connects to PEER (a node's name, found through discovery,
/// or HOST:PORT) with a <see cref="FileSenderHandler"/> and sends the files one after another, with a progress bar
/// per file on a terminal and plain lines otherwise. Exit 0 when every file arrived, 1 when any failed (the reason
/// is printed) or the peer never answered, 2 for a missing file or bad usage, found before connecting.
/// </summary>
public static class SendCommand
{
    /// <summary>Builds the <c>send</c> command.</summary>
    public static Command Create()
    {
        var node = new NodeOptions();
        var files = new Argument<string[]>("FILE") { Description = "the files to send, in this order", Arity = ArgumentArity.OneOrMore };
        var to = new Option<string>("--to") { Description = "the receiving peer: its node name, or HOST:PORT", Required = true };
        var command = new Command("send", "Send files to a peer running lan-node receive");
        node.AddTo(command);
        command.Arguments.Add(files);
        command.Options.Add(to);
        command.SetAction(async (parse, cancel) =>
        {
            if (node.LoadChecked(parse) is not { } config)
            {
                return ExitCodes.BadUsage;
            }

            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var paths = parse.GetValue(files)!;
            var peer = parse.GetValue(to)!;
            if (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected)
            {
                var console = AnsiConsole.Console;
                return await RunAsync(config, peer, paths, error, PeerTarget.DefaultWait, body => ProgressSendView.RunAsync(console, body), cancel).ConfigureAwait(false);
            }

            return await RunAsync(config, peer, paths, output, error, cancel).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Sends <paramref name="files"/> to <paramref name="peer"/>, printing plain lines to <paramref name="output"/>.</summary>
    /// <param name="config">The node's configuration; the client's auto-connect is set here from <paramref name="peer"/>.</param>
    /// <param name="peer">A node's name, or HOST:PORT.</param>
    /// <param name="files">The files, sent in this order.</param>
    /// <param name="output">Where one line per file started, sent or failed goes.</param>
    /// <param name="log">Where log lines and usage errors go.</param>
    /// <param name="cancel">Stops sending.</param>
    /// <param name="wait">How long to wait for the peer to be found and connected; 10 s when null.</param>
    public static Task<int> RunAsync(HoconConfig config, string peer, IReadOnlyList<string> files, TextWriter output, TextWriter log, CancellationToken cancel, TimeSpan? wait = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var view = new PlainSendView(TextWriter.Synchronized(output));
        return RunAsync(config, peer, files, log, wait ?? PeerTarget.DefaultWait, body => body(view), cancel);
    }

    private static async Task<int> RunAsync(
        HoconConfig config, string peer, IReadOnlyList<string> files, TextWriter log, TimeSpan wait, Func<Func<ISendView, Task<int>>, Task<int>> show, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(log);
        var missing = files.Where(file => !File.Exists(file)).ToList();
        foreach (var file in missing)
        {
            await log.WriteLineAsync($"no such file: {file}").ConfigureAwait(false);
        }

        if (missing.Count > 0)
        {
            return ExitCodes.BadUsage;
        }

        var target = PeerTarget.Parse(peer);
        if (target.ConfigureChecked(config, log) is not { } withTarget)
        {
            return ExitCodes.BadUsage;
        }

        using var logger = ProcessLogging.Configure(withTarget, log);
        var events = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        var connected = new TaskCompletionSource<IActorRef>(TaskCreationOptions.RunContinuationsAsynchronously);
        var disconnected = new TaskCompletionSource<Disconnected>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = NodeHost.Build(builder => builder
            .AddStartup((system, _) =>
            {
                var pump = system.ActorOf(Props.Create(() => new EventPump(events.Writer)), "events");
                system.EventStream.Subscribe(pump, typeof(TransferStarted));
                system.EventStream.Subscribe(pump, typeof(TransferProgress));
                system.EventStream.Subscribe(pump, typeof(TransferCompleted));
                system.EventStream.Subscribe(pump, typeof(TransferFailed));
            })
            .AddLanClient(withTarget, ConnectionTap.Props(FileSenderHandler.Props(), connected, disconnected), "send"));
        await host.StartAsync(cancel).ConfigureAwait(false);
        try
        {
            var system = host.System();
            if (await target.ConnectAsync(system, "send", connected.Task, wait, cancel).ConfigureAwait(false) is null)
            {
                await log.WriteLineAsync($"no peer {peer} answered within {wait.TotalSeconds:0.#} s").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            var handler = await system.StartedActor("/user/send/handler", cancel).ConfigureAwait(false);
            return await show(view => SendAllAsync(handler, files, view, events.Reader, disconnected.Task, cancel)).ConfigureAwait(false);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Offers one file at a time and waits for its end, so each event belongs to the file being sent.</summary>
    private static async Task<int> SendAllAsync(
        IActorRef handler, IReadOnlyList<string> files, ISendView view, ChannelReader<object> events, Task<Disconnected> disconnected, CancellationToken cancel)
    {
        var failed = 0;
        for (var index = 0; index < files.Count; index++)
        {
            var name = Path.GetFileName(files[index]);
            if (disconnected.IsCompleted)
            {
                // The handler keeps a cut file to offer again when the connection is back; this command does not wait for that.
                view.Failed(name, "not sent: the connection was lost");
                failed++;
                continue;
            }

            handler.Tell(new SendFile(files[index]));
            var ended = false;
            while (!ended)
            {
                switch (await events.ReadAsync(cancel).ConfigureAwait(false))
                {
                    case TransferStarted started when started.Direction == TransferDirection.Sending:
                        view.Started(started);
                        break;
                    case TransferProgress progress when progress.Direction == TransferDirection.Sending:
                        view.Progress(progress);
                        break;
                    case TransferCompleted completed when completed.Direction == TransferDirection.Sending:
                        view.Completed(completed);
                        ended = true;
                        break;
                    case TransferFailed fail when fail.Direction == TransferDirection.Sending:
                        view.Failed(name, fail.Reason);
                        failed++;
                        ended = true;
                        break;
                }
            }
        }

        return failed == 0 ? ExitCodes.Done : ExitCodes.Failed;
    }
}
