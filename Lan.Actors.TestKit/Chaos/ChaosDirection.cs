namespace Lan.Actors.TestKit;

/// <summary>
/// The faults of one direction of a <see cref="ChaosProxy"/>: upstream (client to server) or downstream
/// (server to client). Faults may be added and removed while connections are open; each chunk is forwarded
/// under the faults present when it is forwarded.
/// </summary>
public sealed class ChaosDirection
{
    private readonly ChaosProxy _proxy;
    private readonly Lock _gate = new();
    private InjectedFault[] _faults = [];
    private long _bytesForwarded;

    internal ChaosDirection(ChaosProxy proxy, string name, int index)
    {
        _proxy = proxy;
        Name = name;
        Index = index;
    }

    /// <summary>"upstream" or "downstream".</summary>
    public string Name { get; }

    /// <summary>The faults in force, in the order they were added.</summary>
    public IReadOnlyList<InjectedFault> Faults => Volatile.Read(ref _faults);

    /// <summary>Bytes written to the receiving peer in this direction, over all connections.</summary>
    public long BytesForwarded => Interlocked.Read(ref _bytesForwarded);

    internal int Index { get; }

    /// <summary>Adds a fault; it applies from the next chunk on (a close after zero bytes, at once).</summary>
    /// <returns>The handle that counts what the fault did and can remove it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The fault's parameters make no sense.</exception>
    public InjectedFault Add(ChaosFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        fault.Validate();
        var injected = new InjectedFault(_proxy.NextFaultId(), fault, this);
        lock (_gate)
        {
            _faults = [.. _faults, injected];
        }

        _proxy.OnAdded(injected);
        return injected;
    }

    /// <summary>Removes a fault added here; chunks already held back by it (a latency) still leave in order.</summary>
    /// <returns>False when the fault was not in force here.</returns>
    public bool Remove(InjectedFault fault)
    {
        lock (_gate)
        {
            if (!_faults.Contains(fault))
            {
                return false;
            }

            _faults = [.. _faults.Where(f => f != fault)];
        }

        fault.Stop(new InvalidOperationException($"removed before it was applied enough: {fault}"));
        return true;
    }

    /// <summary>Removes every fault of this direction.</summary>
    public void Clear()
    {
        foreach (var fault in Faults)
        {
            Remove(fault);
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: {BytesForwarded} bytes forwarded, faults [{string.Join("; ", Faults)}]";

    internal void CountForwarded(int bytes) => Interlocked.Add(ref _bytesForwarded, bytes);
}
