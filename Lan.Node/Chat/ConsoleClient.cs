using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Lan.Node.Hosting;

namespace Lan.Node.Chat;

/// <summary>A chat client's handler: shows what arrives, sends what is typed, keeps lines typed before the connection.</summary>
internal sealed class ConsoleClient : ReceiveActor, IWithTimers
{
    private const int MaxWaitingLines = 1000;
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);
    private readonly Queue<string> _waiting = new();
    private IActorRef? _connection;
    private IActorRef? _flushRequester;
    private DateTime _lastReceived = DateTime.UtcNow;
    private bool _everConnected;
    private string? _lastFailure;

    public ITimerScheduler Timers { get; set; } = null!;

    public ConsoleClient(IChatView view)
    {
        Receive<Connected>(connected =>
        {
            _connection = connected.Connection;
            _everConnected = true;
            _lastFailure = null;
            view.Show(new ChatLine($"* connected to {connected.Peer.EndPoint}", ChatLineKind.Status));
            while (_waiting.TryDequeue(out var line))
            {
                Send(line);
            }
        });
        Receive<Identified>(identified => view.Show(new ChatLine($"* {Safe(identified.Peer.Name)} welcomes you", ChatLineKind.Status)));
        Receive<Received>(received =>
        {
            _lastReceived = DateTime.UtcNow;
            view.Show(Describe(received.Packet));
        });
        Receive<Disconnected>(disconnected =>
        {
            _connection = null;
            view.Show(new ChatLine($"* disconnected: {disconnected.Reason} ({Safe(disconnected.Detail)})", ChatLineKind.Disconnected));
        });
        Receive<SendRefused>(refused => view.Show(new ChatLine($"* a line was not sent: {refused.Reason}", ChatLineKind.Status)));
        Receive<Say>(say =>
        {
            if (_connection is not null)
            {
                Send(say.Text);
            }
            else if (_waiting.Count < MaxWaitingLines)
            {
                _waiting.Enqueue(say.Text);
            }
            else
            {
                view.Show(new ChatLine("* not connected and 1,000 lines are waiting: line dropped", ChatLineKind.Status));
            }
        });
        Receive<Flush>(_ =>
        {
            _flushRequester = Sender;
            Timers.StartPeriodicTimer("flush", CheckFlushed.Instance, TimeSpan.FromMilliseconds(100));
        });
        Receive<ConnectAttemptFailed>(failed => _lastFailure = $"could not connect to {failed.Remote}: {failed.Error}");
        Receive<GetFlushState>(_ => Sender.Tell(new FlushState(_everConnected, _connection is not null, _waiting.Count, _lastFailure)));
        Receive<CheckFlushed>(_ =>
        {
            // Flushed once connected with nothing waiting, and the server has been quiet for a moment.
            if (_connection is not null && _waiting.Count == 0 && DateTime.UtcNow - _lastReceived >= Quiet)
            {
                Timers.Cancel("flush");
                _flushRequester?.Tell(Flushed.Instance);
            }
        });
    }

    private void Send(string text) => _connection!.Tell(new Send(Packet.From(new TextMessage(text))));

    // Every field is the server's or another member's choice: escaped (PeerText) before it reaches the terminal. A
    // member's line starts with its name, which the room never lets begin with '*', so it cannot pass for a status line.
    private static ChatLine Describe(Packet packet) => packet.Type switch
    {
        PacketTypes.Message when packet.TryGet<string>("FROM", out var from) => new ChatLine($"{Safe(from)}: {Field(packet, "TEXT")}", ChatLineKind.Message),
        // No FROM: the server's own words (an echo, a first-seed server), not a member's.
        PacketTypes.Message => new ChatLine(Field(packet, "TEXT"), ChatLineKind.Message),
        "JOINED" => new ChatLine($"* {Field(packet, "NAME")} joined{Renamed(packet)}", ChatLineKind.Joined, [Field(packet, "NAME")]),
        "LEFT" => new ChatLine($"* {Field(packet, "NAME")} left ({Field(packet, "REASON")})", ChatLineKind.Left, [Field(packet, "NAME")]),
        "MEMBERS" when packet.GetString("NAMES").Split('\n').Select(Safe).ToArray() is var names => new ChatLine($"* here already: {string.Join(", ", names)}", ChatLineKind.Members, names),
        _ => new ChatLine($"* {Safe(packet.ToString())}", ChatLineKind.Status),
    };

    private static string Field(Packet packet, string name) => Safe(packet.GetString(name));

    private static string Renamed(Packet packet) =>
        packet.TryGet<string>("ASKED", out var asked) ? $" (asked for {Safe(asked)}, which was taken)" : "";

    private static string Safe(string? text) => PeerText.ForDisplay(text);

    /// <summary>Props of a handler that shows the conversation on <paramref name="view"/>.</summary>
    public static Props Create(IChatView view) => Props.Create(() => new ConsoleClient(view));

    /// <summary>
    /// Sends each line of <paramref name="input"/> until its end or <c>/quit</c> (empty lines never: the fourth
    /// seed's trap), then waits until every line has left and the answers have had a moment to arrive.
    /// </summary>
    public static async Task<FlushState?> PumpAsync(TextReader input, IActorRef console, TextWriter output, CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested && await input.ReadLineAsync(cancel).ConfigureAwait(false) is { } line)
        {
            if (line.Trim() == "/quit")
            {
                break;
            }

            if (line.Trim().Length > 0)
            {
                console.Tell(new Say(line));
            }
        }

        return await FlushAsync(console, output).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until every line typed has left and the server has been quiet for a moment, at most 15 s; null when
    /// that happened, else what was left (never connected, lines waiting), for the command to report and exit 1.
    /// </summary>
    public static async Task<FlushState?> FlushAsync(IActorRef console, TextWriter output)
    {
        try
        {
            await console.Ask<Flushed>(Flush.Instance, TimeSpan.FromSeconds(15), CancellationToken.None).ConfigureAwait(false);
            return null;
        }
        catch (AskTimeoutException)
        {
            // Connected with nothing waiting is done, even if a busy server never went quiet.
            try
            {
                var state = await console.Ask<FlushState>(GetFlushState.Instance, TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
                return state is { Connected: true, Waiting: 0 } ? null : state;
            }
            catch (AskTimeoutException)
            {
                // The handler is gone: its node stopped (the handler kept failing); what it held was not sent.
                return new FlushState(EverConnected: false, Connected: false, Waiting: 0, "the client stopped: its handler kept failing");
            }
        }
    }

    /// <summary>
    /// Exit code 0 when <paramref name="left"/> is null (every line typed has left); otherwise one line on
    /// <paramref name="log"/> saying what happened (<paramref name="nobody"/> when nothing ever answered) and 1.
    /// </summary>
    public static async Task<int> ExitCodeAsync(FlushState? left, TextWriter log, string nobody)
    {
        if (left is null)
        {
            return ExitCodes.Done;
        }

        var unsent = left.Waiting switch { 0 => "", 1 => "; the line typed was not sent", var n => $"; the {n} lines typed were not sent" };
        var what = left.LastFailure ?? (left.EverConnected ? "the connection was lost and did not come back" : nobody);
        await log.WriteLineAsync($"lan-node: {what} (waited 15 s){unsent}").ConfigureAwait(false);
        return ExitCodes.Failed;
    }

    /// <summary>Whether the client ever connected, and how many typed lines were never sent.</summary>
    public sealed record FlushState(bool EverConnected, bool Connected, int Waiting, string? LastFailure);

    private sealed record GetFlushState
    {
        public static GetFlushState Instance { get; } = new();
    }

    public sealed record Say(string Text);

    public sealed record Flush
    {
        public static Flush Instance { get; } = new();
    }

    public sealed record Flushed
    {
        public static Flushed Instance { get; } = new();
    }

    private sealed record CheckFlushed
    {
        public static CheckFlushed Instance { get; } = new();
    }
}
