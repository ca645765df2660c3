namespace Lan.Actors.Io;

/// <summary>
/// The bytes a node's inbound connections may hold together in their send queues (<c>lan.tcp.send-budget</c>), shared
/// by every connection of one node. A queue is bounded on its own (<c>send-queue-bytes</c>), but peers that never read
/// what they ask for can open many connections. Past the budget, a queue that holds <see cref="Floor"/> or more takes
/// nothing more (its sends are refused as <c>QueueFull</c>, and its slow-consumer grace runs), while queues that hold
/// little (a chat member, a peer that reads) are served as before: all queues together hold at most the budget plus,
/// per connection, the floor and one packet.
/// </summary>
internal sealed class SendBudget(long limit)
{
    /// <summary>What a queue may always hold, budget or not: a few lines of chat, an answer or two.</summary>
    public const long Floor = 64 * 1024;

    private long _queued;

    public long Limit => limit;

    /// <summary>The bytes all send queues hold now.</summary>
    public long Queued => Volatile.Read(ref _queued);

    /// <summary>One queue now holds <paramref name="now"/> bytes where it held <paramref name="before"/>.</summary>
    public void Update(long before, long now)
    {
        if (before != now)
        {
            Interlocked.Add(ref _queued, now - before);
        }
    }

    /// <summary>Whether a queue holding <paramref name="holding"/> bytes may not take <paramref name="adding"/> more now.</summary>
    public bool Refuses(long holding, long adding) => holding >= Floor && Queued + adding > limit;
}
