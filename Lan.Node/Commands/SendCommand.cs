using System.CommandLine;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Hosting;
using Lan.Actors.Filer;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Node.Filer;
using Lan.Node.Hosting;
using Lan.Node.Logging;
using Spectre.Console;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node send FILE... --to PEER [--resume-wait 60s] [--config FILE]</c>: connects to PEER (a node's name, found
/// through discovery, or HOST:PORT) with a <see cref="FileSenderHandler"/> and sends the files one after another,
/// with a progress bar per file on a terminal and plain lines otherwise. A lost connection interrupts the file being
/// sent; the node reconnects and the file resumes where the receiver verified it, unless the peer stays away longer
/// than the resume wait. Exit 0 when every file arrived, 1 when any failed (the reason is printed) or the peer never
/// answered, 2 for a missing file or bad usage, found before connecting.
/// </summary>
public static class SendCommand
{
    /// <summary>Builds the <c>send</c> command.</summary>
    public static Command Create()
    {
        var node = new NodeOptions();
        var files = new Argument<string[]>("FILE") { Description = "the files to send, in this order", Arity = ArgumentArity.OneOrMore };
        var to = new Option<string>("--to") { Description = "the receiving peer: its node name, or HOST:PORT", Required = true };
        var resume = new Option<string>("--resume-wait") { Description = "how long the connection may be down in all, after a cut, before the files not yet sent fail, e.g. 60s or 5m", DefaultValueFactory = _ => "60s" };
        var command = new Command("send", "Send files to a peer running lan-node receive");
        node.AddTo(command);
        command.Arguments.Add(files);
        command.Options.Add(to);
        command.Options.Add(resume);
        command.SetAction(async (parse, cancel) =>
        {
            if (node.LoadChecked(parse) is not { } config)
            {
                return ExitCodes.BadUsage;
            }

            if (CliValues.Duration(parse.GetValue(resume)!, "--resume-wait", parse.InvocationConfiguration.Error) is not { } resumeWait)
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
                return await RunAsync(config, peer, paths, error, PeerTarget.DefaultWait, resumeWait, body => ProgressSendView.RunAsync(console, body), cancel).ConfigureAwait(false);
            }

            return await RunAsync(config, peer, paths, output, error, cancel, resumeWait: resumeWait).ConfigureAwait(false);
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
    /// <param name="resumeWait">How long a lost connection may stay lost before the files not yet sent fail; 60 s when null.</param>
    public static Task<int> RunAsync(
        HoconConfig config, string peer, IReadOnlyList<string> files, TextWriter output, TextWriter log, CancellationToken cancel, TimeSpan? wait = null, TimeSpan? resumeWait = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var view = new PlainSendView(TextWriter.Synchronized(output));
        return RunAsync(config, peer, files, log, wait ?? PeerTarget.DefaultWait, resumeWait ?? DefaultResumeWait, body => body(view), cancel);
    }

    private static readonly TimeSpan DefaultResumeWait = TimeSpan.FromSeconds(60);

    /// <summary>Sends <paramref name="files"/> to <paramref name="peer"/>, shown by <paramref name="show"/> (the progress bars on a terminal).</summary>
    internal static async Task<int> RunAsync(
        HoconConfig config, string peer, IReadOnlyList<string> files, TextWriter log, TimeSpan wait, TimeSpan resumeWait,
        Func<Func<ISendView, Task<int>>, Task<int>> show, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(log);
        var missing = files.Where(file => !File.Exists(file)).ToList();
        foreach (var file in missing)
        {
            await log.WriteLineAsync(Directory.Exists(file) ? $"{file} is a folder; send the files in it (e.g. {Path.Combine(file, "*")})" : $"no such file: {file}").ConfigureAwait(false);
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
                system.EventStream.Subscribe(pump, typeof(TransferInterrupted));
            })
            .AddLanClient(withTarget, ConnectionTap.Props(FileSenderHandler.Props(), connected, disconnected, events.Writer), "send"));
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
            var link = new LinkWatch(peer, resumeWait);
            return await show(view => SendAllAsync(handler, files, view, events.Reader, link, cancel)).ConfigureAwait(false);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Offers one file at a time and waits for its end, so each event belongs to the file being sent. While the
    /// connection is lost the handler keeps the file (and the ones after it) for when it is back; only a peer away
    /// longer than the resume wait fails what is left.
    /// </summary>
    private static async Task<int> SendAllAsync(
        IActorRef handler, IReadOnlyList<string> files, ISendView view, ChannelReader<object> events, LinkWatch link, CancellationToken cancel)
    {
        var failed = 0;
        for (var index = 0; index < files.Count; index++)
        {
            var name = Path.GetFileName(files[index]);
            handler.Tell(new SendFile(files[index]));
            var ended = false;
            var moving = false;
            while (!ended)
            {
                switch (await link.NextAsync(events, cancel).ConfigureAwait(false))
                {
                    case null:
                        // The peer stayed away: this file and every one after it are not sent.
                        for (var rest = index; rest < files.Count; rest++)
                        {
                            view.Failed(Path.GetFileName(files[rest]), link.GaveUpReason);
                        }

                        return ExitCodes.Failed;
                    case TransferStarted started when started.Direction == TransferDirection.Sending:
                        view.Started(started);
                        moving = true;
                        break;
                    case TransferProgress progress when progress.Direction == TransferDirection.Sending:
                        view.Progress(progress);
                        break;
                    case TransferInterrupted interrupted when moving:
                        // Said once per cut: a link that flaps before the file moves again is not news.
                        view.Interrupted(interrupted, link.ResumeWait);
                        moving = false;
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

    /// <summary>
    /// Follows the connection's losses among the events and gives up once the link has been down for the resume wait
    /// in all since a transfer last moved. The link counts as up from the peer's WELCOME (<see cref="Identified"/>),
    /// not from a bare TCP connect, so a peer that accepts and then says nothing is down. Time up does not count (a
    /// re-offer may wait for a large file's hash, or a person's yes), and a new connection does not reset the sum: a
    /// peer that accepts and drops every connection spends its time down, between the reconnect attempts.
    /// Transfer events travel through the event stream and can come after the <see cref="Disconnected"/> that cut
    /// them, so one forgives the time down before it but never marks the link up.
    /// </summary>
    /// <remarks>Time comes from <paramref name="time"/> (the system's when null), so a spec can move it by hand.</remarks>
    internal sealed class LinkWatch(string peer, TimeSpan resumeWait, TimeProvider? time = null)
    {
        private readonly TimeProvider _time = time ?? TimeProvider.System;
        private long? _downSince;
        private TimeSpan _downBefore;

        public TimeSpan ResumeWait => resumeWait;

        // Set when the peer turned this node away (untrusted, another ID than expected): waiting would not change that.
        private string? _refused;

        public string GaveUpReason => _refused ?? $"not sent: the connection to {peer} was lost and did not come back within {resumeWait.TotalSeconds:0.#} s";

        /// <summary>The next transfer event; null once the link has been down for the whole resume wait.</summary>
        public async Task<object?> NextAsync(ChannelReader<object> events, CancellationToken cancel)
        {
            while (true)
            {
                object next;
                if (_downSince is { } since)
                {
                    var left = resumeWait - _downBefore - _time.GetElapsedTime(since);
                    using var timeUp = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero, _time);
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeUp.Token);
                    try
                    {
                        next = await events.ReadAsync(deadline.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                    {
                        return null;
                    }
                }
                else
                {
                    next = await events.ReadAsync(cancel).ConfigureAwait(false);
                }

                switch (next)
                {
                    case Identified when _downSince is { } wentDown:
                        _downBefore += _time.GetElapsedTime(wentDown);
                        _downSince = null;
                        break;
                    case Identified or Connected:
                        break;
                    case Disconnected { Reason: DisconnectReason.Rejected or DisconnectReason.UntrustedPeer or DisconnectReason.IdentityMismatch } refused:
                        _refused = $"not sent: {refused.Reason}: {PeerText.ForDisplay(refused.Detail)}";
                        return null;
                    case Disconnected:
                        _downSince ??= _time.GetTimestamp();
                        break;
                    case TransferInterrupted:
                        _downSince ??= _time.GetTimestamp();
                        return next;
                    default:
                        // The transfer moved: the time down so far is forgiven, but a link that is down stays down.
                        _downBefore = TimeSpan.Zero;
                        _downSince = _downSince is null ? null : _time.GetTimestamp();
                        return next;
                }
            }
        }
    }
}
