namespace Lan.Actors.Kernel;

/// <summary>A receive-timeout timer fired; checked against the current setting when it is processed.</summary>
internal sealed record ReceiveTimeoutTick(int Generation) : IAutoReceivedMessage, INotInfluenceReceiveTimeout;

/// <summary>
/// Receive timeout without re-arming a timer per message: each message only stamps the time; when the
/// timer fires, the actor checks the stamp and either delivers <see cref="ReceiveTimeout"/> or re-arms
/// for the time that is left.
/// </summary>
internal sealed partial class ActorCell
{
    private TimeSpan? _receiveTimeout;
    private long _lastActivity;
    private ITimer? _receiveTimeoutTimer;
    private int _receiveTimeoutGeneration;

    public TimeSpan? ReceiveTimeout => _receiveTimeout;

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        _receiveTimeoutTimer?.Dispose();
        _receiveTimeoutTimer = null;
        _receiveTimeoutGeneration++;
        if (timeout is not { } period || period <= TimeSpan.Zero || period == Timeout.InfiniteTimeSpan)
        {
            _receiveTimeout = null;
            return;
        }
        _receiveTimeout = period;
        _lastActivity = System.TimeProvider.GetTimestamp();
        ArmReceiveTimeout(period);
    }

    private void ArmReceiveTimeout(TimeSpan dueIn)
    {
        var tick = new ReceiveTimeoutTick(_receiveTimeoutGeneration);
        _receiveTimeoutTimer?.Dispose();
        _receiveTimeoutTimer = System.TimeProvider.CreateTimer(
            static state =>
            {
                var (cell, message) = ((ActorCell, ReceiveTimeoutTick))state!;
                cell.SendUserMessage(message, null);
            },
            (this, tick),
            dueIn,
            Timeout.InfiniteTimeSpan);
    }

    private void OnReceiveTimeoutTick(ReceiveTimeoutTick tick)
    {
        if (tick.Generation != _receiveTimeoutGeneration || _receiveTimeout is not { } period)
        {
            return;
        }
        var idle = System.TimeProvider.GetElapsedTime(_lastActivity);
        if (idle < period)
        {
            ArmReceiveTimeout(period - idle);
            return;
        }
        _lastActivity = System.TimeProvider.GetTimestamp();
        ArmReceiveTimeout(period);
        ReceiveUnwrapped(Kernel.ReceiveTimeout.Instance);
    }
}
