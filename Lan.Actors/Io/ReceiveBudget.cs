namespace Lan.Actors.Io;

/// <summary>
/// The bytes a node's connections may hold in frames they have started to receive and not finished
/// (<c>lan.tcp.receive-budget</c>), shared by every reader of one node. Past it, a reader holding at least its share
/// (the budget over the readers holding anything) stops reading until others give memory back; its frame deadline runs
/// on meanwhile, so a peer that started a huge frame and holds its share is dropped at <c>lan.tcp.frame-timeout</c>,
/// while connections that hold little (small packets, whole frames) are read as before.
/// </summary>
internal sealed class ReceiveBudget(long limit)
{
    private long _held;
    private int _holders;
    private TaskCompletionSource _freed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Limit => limit;

    /// <summary>The bytes all readers hold now.</summary>
    public long Held => Volatile.Read(ref _held);

    /// <summary>Completes the next time a reader holds less than before; take it before checking <see cref="MustWait"/>, so no release is missed.</summary>
    public Task Freed => Volatile.Read(ref _freed).Task;

    /// <summary>One reader now holds <paramref name="now"/> bytes where it held <paramref name="before"/>.</summary>
    public void Update(long before, long now)
    {
        if (before == now)
        {
            return;
        }

        Interlocked.Add(ref _held, now - before);
        if (before == 0)
        {
            Interlocked.Increment(ref _holders);
        }
        else if (now == 0)
        {
            Interlocked.Decrement(ref _holders);
        }

        if (now < before)
        {
            Interlocked.Exchange(ref _freed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    /// <summary>Whether a reader holding <paramref name="holding"/> bytes must stop reading for now.</summary>
    public bool MustWait(long holding) =>
        holding > 0 && Held > limit && holding >= limit / Math.Max(1, Volatile.Read(ref _holders));
}
