namespace Lan.Actors.Kernel;

/// <summary>An actor that can put messages aside; the runtime sets <see cref="Stash"/> before the constructor returns.</summary>
public interface IWithStash
{
    /// <summary>The actor's stash; set by the runtime.</summary>
    IStash Stash { get; set; }
}

/// <summary>Messages put aside to be handled later, e.g. until a connection is up.</summary>
public interface IStash
{
    /// <summary>Puts the current message aside.</summary>
    void Stash();

    /// <summary>Returns the oldest stashed message to the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Returns every stashed message to the front of the mailbox, in the order they were stashed.</summary>
    void UnstashAll();

    /// <summary>Returns the stashed messages that pass <paramref name="predicate"/>; the rest stay stashed.</summary>
    void UnstashAll(Func<object, bool> predicate);

    /// <summary>Removes and returns every stashed message without handling it.</summary>
    IReadOnlyList<object> ClearStash();

    /// <summary>How many messages are stashed.</summary>
    int Count { get; }
}

/// <summary>
/// The stash of one actor cell. It belongs to the cell, not the instance, so a restart keeps it: before the
/// new instance starts, everything stashed goes back to the front of the mailbox (Akka's behaviour).
/// </summary>
internal sealed class StashBuffer(ActorCell cell) : IStash
{
    private readonly List<Envelope> _stashed = [];
    private Envelope? _lastStashed;

    public int Count => _stashed.Count;

    public void Stash()
    {
        var current = cell.CurrentEnvelope;
        // Each delivery has its own envelope (a Tell, or an unstashed copy), so identity tells a second
        // Stash() of the same delivery apart from the same message object sent twice.
        if (ReferenceEquals(current, _lastStashed))
        {
            throw new IllegalActorStateException($"The message {current.Message} is already stashed; a message can be stashed once.");
        }
        _lastStashed = current;
        // A copy: the mailbox reuses its own node after the message is handled.
        _stashed.Add(new Envelope(current.Message, current.Sender));
    }

    public void Unstash()
    {
        if (_stashed.Count == 0)
        {
            return;
        }
        var first = _stashed[0];
        _stashed.RemoveAt(0);
        cell.Prepend([first]);
    }

    public void UnstashAll() => UnstashAll(static _ => true);

    public void UnstashAll(Func<object, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var selected = new List<Envelope>(_stashed.Count);
        var kept = new List<Envelope>();
        foreach (var envelope in _stashed)
        {
            (predicate(envelope.Message) ? selected : kept).Add(envelope);
        }
        _stashed.Clear();
        _stashed.AddRange(kept);
        cell.Prepend(selected);
    }

    public IReadOnlyList<object> ClearStash()
    {
        var messages = _stashed.ConvertAll(envelope => envelope.Message);
        _stashed.Clear();
        return messages;
    }

    internal void UnstashAllForRestart()
    {
        cell.Prepend(_stashed.ToArray());
        _stashed.Clear();
    }

    internal void DrainTo(ActorCell deadCell)
    {
        foreach (var envelope in _stashed)
        {
            deadCell.DeadLetter(envelope.Message, envelope.Sender);
        }
        _stashed.Clear();
    }
}
