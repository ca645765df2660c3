using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Handlers;

/// <summary>How a <see cref="ChaosClientHandler"/> behaves.</summary>
/// <param name="Name">How the client calls itself in its messages and its <see cref="ChaosSessionEnded"/> events.</param>
/// <param name="Messages">K: the <c>MESSAGE</c>s it sends on each connection before it says <c>DISCONNECT</c>.</param>
/// <param name="DropProbability">p: the chance that a connection vanishes (a reset) instead, at a random point.</param>
/// <param name="Seed">The seed of its random choices: the same seed makes the same choices.</param>
/// <param name="Pause">How long it waits after each answer before its next step; zero goes on at once.</param>
public sealed record ChaosClientOptions(string Name, int Messages = 10, double DropProbability = 0.1, int Seed = 1, TimeSpan Pause = default)
{
    /// <summary>Throws when a value cannot work.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Messages is negative, DropProbability is outside 0..1, or Pause is negative.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(DropProbability, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(DropProbability, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Pause, TimeSpan.Zero);
    }
}

/// <summary>
/// The first seed's misbehaving client as a handler for a client node: on each connection, once the server has
/// welcomed it, it sends K random
/// <c>MESSAGE</c>s, one at a time, each after the server has answered the one before (so the client's and the
/// server's choices never cross), and then says <c>DISCONNECT</c>; with probability p it vanishes instead
/// at a random point, with a reset and no <c>DISCONNECT</c>. When the server closes the connection, the node
/// reconnects and the handler starts a new session. Every end is published as <see cref="ChaosSessionEnded"/>.
/// </summary>
public sealed class ChaosClientHandler : ReceiveActor, IWithTimers
{
    private static readonly string[] Words = ["hello", "lobby", "ready", "map", "ping", "gg", "team", "go", "wait", "lag"];

    private readonly ChaosClientOptions _options;
    private readonly Random _random;
    private readonly Dictionary<IActorRef, Session> _sessions = [];
    private int _sessionCount;

    /// <summary>Creates the handler; <see cref="Create"/> makes its Props.</summary>
    public ChaosClientHandler(ChaosClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _random = new Random(options.Seed);
        // A failed connect attempt: the node tries again after its back-off; nothing to do until Connected.
        Receive<ConnectAttemptFailed>(_ => { });
        Receive<Connected>(connected =>
        {
            // The point where this session vanishes is chosen up front: before message n, or never (-1).
            var vanishBefore = _random.NextDouble() < options.DropProbability ? _random.Next(options.Messages + 1) : -1;
            _sessions[connected.Connection] = new Session(++_sessionCount, vanishBefore);
        });
        // The script starts once the server has welcomed the client: a client that vanished right after connecting
        // could reset the link before the server read its HELLO, and the server could not tell whose connection ended.
        Receive<Identified>(identified => Step(identified.Connection));
        Receive<Received>(received => received.Packet.Type == PacketTypes.Message, received =>
        {
            if (_options.Pause > TimeSpan.Zero)
            {
                Timers.StartSingleTimer(received.Connection, new NextStep(received.Connection), _options.Pause);
            }
            else
            {
                Step(received.Connection);
            }
        });
        Receive<NextStep>(next => Step(next.Connection));
        Receive<Disconnected>(disconnected =>
        {
            Timers.Cancel(disconnected.Connection);
            if (_sessions.Remove(disconnected.Connection, out var session))
            {
                Context.System.EventStream.Publish(
                    new ChaosSessionEnded(_options.Name, session.Number, session.Action, disconnected.Reason, session.Sent));
            }
        });
        // Other packets and refusals change nothing in the script.
        Receive<Received>(_ => { });
        Receive<SendRefused>(_ => { });
    }

    /// <summary>Akka's timers, for the pause between steps.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for a client node's handler.</summary>
    public static Props Create(ChaosClientOptions options) => Props.Create(() => new ChaosClientHandler(options));

    private void Step(IActorRef connection)
    {
        if (!_sessions.TryGetValue(connection, out var session) || session.Action != ChaosClientAction.None)
        {
            return;
        }

        if (session.Sent == session.VanishBefore)
        {
            session.Action = ChaosClientAction.Vanished;
            connection.Tell(Abort.Instance);
        }
        else if (session.Sent >= _options.Messages)
        {
            session.Action = ChaosClientAction.SaidGoodbye;
            connection.Tell(new Close($"{_options.Name} is done"));
        }
        else
        {
            session.Sent++;
            var text = $"{_options.Name} #{session.Number}.{session.Sent}: {Words[_random.Next(Words.Length)]}";
            connection.Tell(new Send(Packet.Create(PacketTypes.Message).Set("TEXT", text).Build()));
        }
    }

    private sealed class Session(int number, int vanishBefore)
    {
        public int Number { get; } = number;

        public int VanishBefore { get; } = vanishBefore;

        public int Sent { get; set; }

        public ChaosClientAction Action { get; set; }
    }

    private sealed record NextStep(IActorRef Connection);
}
