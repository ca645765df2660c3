namespace Lan.Actors.TestKit;

/// <summary>
/// A <see cref="ChaosFault"/> added to one direction of a <see cref="ChaosProxy"/>, with the evidence that it
/// really acted: a fault injector that silently does nothing would make the specs that rely on it lie.
/// </summary>
public sealed class InjectedFault
{
    private readonly Lock _gate = new();
    private readonly List<(long AtLeast, TaskCompletionSource Done)> _waiters = [];
    private long _applied;
    private long _chosen;
    private long _spared;
    private Exception? _stopped;

    internal InjectedFault(int id, ChaosFault fault, ChaosDirection direction)
    {
        Id = id;
        Fault = fault;
        Direction = direction;
    }

    /// <summary>The fault's number within its proxy, in the order faults were added; part of each connection's roll.</summary>
    public int Id { get; }

    /// <summary>The fault as it was added.</summary>
    public ChaosFault Fault { get; }

    /// <summary>The direction the fault acts on.</summary>
    public ChaosDirection Direction { get; }

    /// <summary>What one unit of <see cref="Applied"/> counts: chunks delayed, bytes paced, connections closed, bytes swallowed or slices written.</summary>
    public string AppliedUnit => Fault.AppliedUnit;

    /// <summary>How often the fault acted, in the unit <see cref="AppliedUnit"/> names.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Connections whose toxicity roll chose this fault.</summary>
    public long Chosen => Interlocked.Read(ref _chosen);

    /// <summary>Connections whose toxicity roll spared them from this fault.</summary>
    public long Spared => Interlocked.Read(ref _spared);

    /// <summary>
    /// Completes once <see cref="Applied"/> reaches <paramref name="atLeast"/>; fails with
    /// <see cref="ObjectDisposedException"/> if the proxy stops first, or <see cref="InvalidOperationException"/>
    /// if the fault is removed first. Bound the wait, e.g.
    /// <c>await fault.WhenApplied().WaitAsync(TimeSpan.FromSeconds(10))</c>.
    /// </summary>
    /// <param name="atLeast">The count to wait for; 1 by default.</param>
    public Task WhenApplied(long atLeast = 1)
    {
        lock (_gate)
        {
            if (Applied >= atLeast)
            {
                return Task.CompletedTask;
            }

            if (_stopped is not null)
            {
                return Task.FromException(_stopped);
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((atLeast, done));
            return done.Task;
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Direction.Name} #{Id} {Fault}: applied {Applied} ({Fault.AppliedUnit}), chosen for {Chosen}, spared {Spared}";

    internal void CountChoice(bool chosen) => Interlocked.Increment(ref chosen ? ref _chosen : ref _spared);

    internal void CountApplied(long amount)
    {
        if (amount <= 0)
        {
            return;
        }

        var applied = Interlocked.Add(ref _applied, amount);
        lock (_gate)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (applied >= _waiters[i].AtLeast)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    // A waiter would otherwise hang until its own timeout, reporting a timeout instead of the real cause.
    internal void Stop(Exception why)
    {
        lock (_gate)
        {
            _stopped = why;
            foreach (var (_, done) in _waiters)
            {
                done.TrySetException(_stopped);
            }

            _waiters.Clear();
        }
    }
}
