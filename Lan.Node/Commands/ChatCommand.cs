using System.CommandLine;
using Akka.Actor;
using Akka.Hosting;
using Lan.Actors.Handlers;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Node.Chat;
using Lan.Node.Hosting;
using Lan.Node.Logging;
using Spectre.Console;
using Lan.Actors.Discovery;
using Lan.Actors.Security;

namespace Lan.Node.Commands;

/// <summary>
/// <c>lan-node chat [--room NAME] [--nick NICK]</c>: joins the room if a server of that name answers on the LAN,
/// otherwise hosts it (a ChatRoom server in this process) and joins it. A Spectre.Console screen on a terminal;
/// one line per message when output is redirected, reading lines from standard input.
/// </summary>
public static class ChatCommand
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromMilliseconds(1500);

    /// <summary>Builds the <c>chat</c> command.</summary>
    public static Command Create()
    {
        var node = new NodeOptions();
        var room = new Option<string>("--room") { Description = "the room's name: a server node of that name", DefaultValueFactory = _ => "lobby" };
        var nick = new Option<string?>("--nick") { Description = "your name in the room (lan.node.name); the user name when left out" };
        var command = new Command("chat", "Join a chat room on the LAN, or host it when nobody answers");
        node.AddTo(command);
        command.Options.Add(room);
        command.Options.Add(nick);
        command.SetAction(async (parse, cancel) =>
        {
            var roomName = parse.GetValue(room)!;
            var nickName = parse.GetValue(nick) ?? parse.GetValue(node.Name) ?? Environment.UserName;
            if (node.LoadChecked(parse, ("lan.node.name", nickName), ("lan.client.auto-connect", roomName)) is not { } config)
            {
                return ExitCodes.BadUsage;
            }

            var output = parse.InvocationConfiguration.Output;
            var screen = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && !Console.IsInputRedirected;
            return await RunAsync(config, roomName, Console.In, output, parse.InvocationConfiguration.Error, screen, DefaultWait, cancel).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Runs the chat: plain lines over <paramref name="input"/> and <paramref name="output"/>, or the screen.</summary>
    /// <param name="config">Configuration with <c>lan.node.name</c> (the nick) and <c>lan.client.auto-connect</c> (the room) set.</param>
    /// <param name="room">The room, a server node's name.</param>
    /// <param name="input">Lines to send, in plain mode.</param>
    /// <param name="output">Where the conversation goes, in plain mode.</param>
    /// <param name="log">Where log lines go.</param>
    /// <param name="screen">True for the Spectre.Console screen (a terminal on both ends).</param>
    /// <param name="wait">How long to listen for the room before hosting it.</param>
    /// <param name="cancel">Stops the chat (Ctrl+C).</param>
    public static async Task<int> RunAsync(
        HoconConfig config, string room, TextReader input, TextWriter output, TextWriter log, bool screen, TimeSpan wait, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        using var logger = ProcessLogging.Configure(config, log);
        var settings = LanNodeSettings.FromConfig(config);
        var chatScreen = screen ? new ChatScreen(room, settings.Node.Name) : null;
        IChatView view = chatScreen is not null ? chatScreen : new PlainChatView(output);
        // The watcher listens before the client's discovery starts, so an answer that comes at once is not missed.
        var found = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = NodeHost.Build(builder => builder
            .WithActors((system, _) =>
            {
                var watcher = system.ActorOf(Props.Create(() => new RoomWatcher(room, found)), "room-watcher");
                system.EventStream.Subscribe(watcher, typeof(ServerFound));
            })
            .AddLanClient(config, ConsoleClient.Create(view), "chat"));
        await host.StartAsync(cancel).ConfigureAwait(false);
        var system = host.System();
        var console = await system.StartedActor("/user/chat/handler", cancel).ConfigureAwait(false);

        if (await Task.WhenAny(found.Task, Task.Delay(wait, cancel)).ConfigureAwait(false) != found.Task)
        {
            // Nobody has the room: this process hosts it, and the client above finds it like anyone else.
            view.Show(new ChatLine($"* no room {room} answered: hosting it here", ChatLineKind.Status));
            // The room is a node of its own: in open mode an id of its own; in TLS mode its own identity (of the room's name).
            var roomSettings = settings with
            {
                Node = settings.Security.Mode == SecurityMode.Open ? settings.Node with { Name = room, Id = Guid.NewGuid().ToString("N") } : settings.Node with { Name = room },
            };
            await LanNode.StartServerAsync(system, roomSettings, Props.Create<ChatRoomHandler>(), new ServerOptions { Name = "room" }).ConfigureAwait(false);
        }

        ConsoleClient.FlushState? left;
        if (chatScreen is not null)
        {
            await chatScreen.RunAsync(AnsiConsole.Console, line => console.Tell(new ConsoleClient.Say(line)), cancel).ConfigureAwait(false);
            left = await ConsoleClient.FlushAsync(console, output).ConfigureAwait(false);
        }
        else
        {
            left = await ConsoleClient.PumpAsync(input, console, output, cancel).ConfigureAwait(false);
        }

        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return await ConsoleClient.ExitCodeAsync(left, log, $"the room {room} did not answer").ConfigureAwait(false);
    }

    /// <summary>Completes when discovery finds a server of the room's name, or of a group (cluster) of that name.</summary>
    private sealed class RoomWatcher : ReceiveActor
    {
        public RoomWatcher(string room, TaskCompletionSource found)
        {
            // The room's own server, or any server of a group (a cluster) of that name: the client connects to those too.
            var wanted = new AutoConnect(true, room);
            Receive<ServerFound>(server => wanted.Wants(server.Server), new Action<ServerFound>(_ => found.TrySetResult()));
            Receive<ServerFound>(_ => { });
        }

        protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
    }
}
