using System.CommandLine;
using Akka.Actor;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Node.Filer;
using Lan.Node.Hosting;
using Lan.Node.Logging;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node msg --to PEER TEXT</c>: connects to PEER (a node's name or HOST:PORT), sends one <c>MESSAGE</c> {TEXT}
/// and closes the connection, whose <c>DISCONNECT</c> leaves after the message: exit 0 once the peer has it and the
/// connection closed cleanly, 1 when no peer answered or the connection ended otherwise.
/// </summary>
public static class MsgCommand
{
    /// <summary>Builds the <c>msg</c> command.</summary>
    public static Command Create()
    {
        var node = new NodeOptions();
        var text = new Argument<string>("TEXT") { Description = "the message" };
        var to = new Option<string>("--to") { Description = "the receiving peer: its node name, or HOST:PORT", Required = true };
        var command = new Command("msg", "Send a short message to a peer running lan-node receive");
        node.AddTo(command);
        command.Arguments.Add(text);
        command.Options.Add(to);
        command.SetAction(async (parse, cancel) =>
        {
            if (node.LoadChecked(parse) is not { } config)
            {
                return ExitCodes.BadUsage;
            }

            return await RunAsync(config, parse.GetValue(to)!, parse.GetValue(text)!, parse.InvocationConfiguration.Error, cancel).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Sends <paramref name="text"/> to <paramref name="peer"/>; logs and errors go to <paramref name="log"/>.</summary>
    /// <param name="config">The node's configuration; its <c>lan.node.name</c> is who the message is from.</param>
    /// <param name="peer">A node's name, or HOST:PORT.</param>
    /// <param name="text">The message.</param>
    /// <param name="log">Where log lines and errors go.</param>
    /// <param name="cancel">Gives up.</param>
    /// <param name="wait">How long to wait for the peer, and then for the connection to close; 10 s each when null.</param>
    public static async Task<int> RunAsync(HoconConfig config, string peer, string text, TextWriter log, CancellationToken cancel, TimeSpan? wait = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        var patience = wait ?? PeerTarget.DefaultWait;
        var target = PeerTarget.Parse(peer);
        if (target.ConfigureChecked(config, log) is not { } withTarget)
        {
            return ExitCodes.BadUsage;
        }

        using var logger = ProcessLogging.Configure(withTarget, log);
        var connected = new TaskCompletionSource<IActorRef>(TaskCreationOptions.RunContinuationsAsynchronously);
        var disconnected = new TaskCompletionSource<Disconnected>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = NodeHost.Build(builder => builder.AddLanClient(withTarget, ConnectionTap.Props(Props.Create<ConnectionTap.Nothing>(), connected, disconnected), "msg"));
        await host.StartAsync(cancel).ConfigureAwait(false);
        try
        {
            var connection = await target.ConnectAsync(host.System(), "msg", connected.Task, patience, cancel).ConfigureAwait(false);
            if (connection is null)
            {
                await log.WriteLineAsync($"no peer {peer} answered within {patience.TotalSeconds:0.#} s").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            // Close sends DISCONNECT after everything queued before it, and ends once the peer has closed its side.
            connection.Tell(new Send(Packet.From(new TextMessage(text))));
            connection.Tell(new Close("message sent"));
            if (await Task.WhenAny(disconnected.Task, Task.Delay(patience, cancel)).ConfigureAwait(false) != disconnected.Task)
            {
                await log.WriteLineAsync("the connection did not close in time; the message may not have arrived").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            var ended = await disconnected.Task.ConfigureAwait(false);
            if (ended.Reason != DisconnectReason.Requested)
            {
                await log.WriteLineAsync($"the connection ended before the message was confirmed: {ended.Reason} ({PeerText.ForDisplay(ended.Detail)})").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            return ExitCodes.Done;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
