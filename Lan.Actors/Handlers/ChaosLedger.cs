using Lan.Actors.Io;

namespace Lan.Actors.Handlers;

/// <summary>
/// Keeps both sides' account of a chaos run (<see cref="ChaosSessionEnded"/> from the clients,
/// <see cref="ChaosConnectionEnded"/> from the server) and checks them against each other: every connection must
/// end at the server for the reason that matches what its client did. Not thread-safe; one actor or one test
/// thread records into it.
/// </summary>
public sealed class ChaosLedger
{
    private readonly List<ChaosSessionEnded> _sessions = [];
    private readonly List<ChaosConnectionEnded> _connections = [];

    /// <summary>The client sessions that have ended.</summary>
    public IReadOnlyList<ChaosSessionEnded> Sessions => _sessions;

    /// <summary>The server connections that have ended.</summary>
    public IReadOnlyList<ChaosConnectionEnded> Connections => _connections;

    /// <summary>Sessions whose client sent its messages and then DISCONNECT.</summary>
    public int SaidGoodbye => _sessions.Count(session => session.Action == ChaosClientAction.SaidGoodbye);

    /// <summary>Sessions whose client vanished with a reset.</summary>
    public int Vanished => _sessions.Count(session => session.Action == ChaosClientAction.Vanished);

    /// <summary>Connections the server closed.</summary>
    public int ClosedByServer => _connections.Count(connection => connection.ClosedByServer);

    /// <summary>Sessions that were a client's second or later: it had reconnected after the server closed it.</summary>
    public int Reconnected => _sessions.Count(session => session.Session > 1);

    /// <summary>The MESSAGE packets the server received.</summary>
    public long Messages => _connections.Sum(connection => (long)connection.MessagesReceived);

    /// <summary>Connections whose client gave up while still connecting (stopped before its HELLO): no session on its side.</summary>
    public int Abandoned => _connections.Count(IsAbandoned);

    /// <summary>True when the server has reported as many ended connections as the clients have sessions.</summary>
    public bool Settled => _connections.Count - Abandoned == _sessions.Count;

    /// <summary>Adds a client's account of one session.</summary>
    public void Record(ChaosSessionEnded session) => _sessions.Add(session ?? throw new ArgumentNullException(nameof(session)));

    /// <summary>Adds the server's account of one connection.</summary>
    public void Record(ChaosConnectionEnded connection) => _connections.Add(connection ?? throw new ArgumentNullException(nameof(connection)));

    /// <summary>
    /// What the server's side must report for a session: Requested when the client said goodbye or its node was
    /// stopped, Dropped when it vanished, ServerClosed when the server closed it; null for an end neither side chose.
    /// </summary>
    public static DisconnectReason? ExpectedAtServer(ChaosSessionEnded session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.Action switch
        {
            ChaosClientAction.SaidGoodbye => DisconnectReason.Requested,
            ChaosClientAction.Vanished => DisconnectReason.Dropped,
            _ when session.Reason is DisconnectReason.ServerClosed or DisconnectReason.Requested => session.Reason,
            _ => null,
        };
    }

    /// <summary>Every disagreement between the two accounts, one line each; empty when they agree.</summary>
    public IReadOnlyList<string> Mismatches()
    {
        var problems = new List<string>();
        foreach (var unexplained in _sessions.Where(session => ExpectedAtServer(session) is null))
        {
            problems.Add($"{unexplained.Client} session {unexplained.Session} ended as {unexplained.Reason} without either side's doing");
        }

        // A client that left at the same moment (its DISCONNECT or its reset came before the server's close took
        // effect) ends the connection its own way; the comparison per client below holds that end to its account.
        foreach (var closed in _connections.Where(connection => connection.ClosedByServer
            && connection.Reason is not (DisconnectReason.ServerClosed or DisconnectReason.Requested or DisconnectReason.Dropped)))
        {
            problems.Add($"the server closed {closed.Peer}, yet its side ended as {closed.Reason}");
        }

        foreach (var odd in _connections.Where(connection => !connection.Identified && !IsAbandoned(connection)))
        {
            problems.Add($"{odd.Peer} never said HELLO, yet ended as {odd.Reason} after {odd.MessagesReceived} messages");
        }

        var identified = _connections.Where(connection => connection.Identified).ToList();
        var clients = _sessions.Select(session => session.Client).Concat(identified.Select(connection => connection.Peer)).Distinct(StringComparer.Ordinal);
        foreach (var client in clients.Order(StringComparer.Ordinal))
        {
            var expected = _sessions.Where(session => session.Client == client).Select(ExpectedAtServer).OfType<DisconnectReason>().Order().ToList();
            var seen = identified.Where(connection => connection.Peer == client).Select(connection => connection.Reason).Order().ToList();
            if (!expected.SequenceEqual(seen))
            {
                problems.Add($"{client}: the client's account means [{string.Join(", ", expected)}] at the server, which saw [{string.Join(", ", seen)}]");
            }
        }

        return problems;
    }

    // A client stopped mid-connect closes a socket the server has just accepted: it never said HELLO or anything else.
    private static bool IsAbandoned(ChaosConnectionEnded connection) =>
        !connection.Identified && connection.MessagesReceived == 0 && connection.Reason is DisconnectReason.Dropped or DisconnectReason.Requested;
}
