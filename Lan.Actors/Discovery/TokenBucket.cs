using Lan.Actors.Io;

namespace Lan.Actors.Discovery;

/// <summary>
/// A token bucket: <c>ratePerSecond</c> tokens a second, at most <c>burst</c> saved up. Not thread-safe;
/// one actor owns it.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _ratePerMillisecond;
    private readonly double _burst;
    private double _tokens;
    private long _lastRefill;

    /// <param name="ratePerSecond">Tokens added a second.</param>
    /// <param name="burst">The most tokens saved up; the bucket starts full.</param>
    /// <param name="now">Now on the owner's <see cref="LanClock"/>, in milliseconds.</param>
    public TokenBucket(double ratePerSecond, double burst, long now)
    {
        _lastRefill = now;
        _ratePerMillisecond = ratePerSecond / 1000.0;
        _burst = burst;
        _tokens = burst;
    }

    /// <summary>Takes one token if there is one.</summary>
    public bool TryTake(long now)
    {
        _tokens = Math.Min(_burst, _tokens + ((now - _lastRefill) * _ratePerMillisecond));
        _lastRefill = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }

    /// <summary>True when the bucket has been full long enough that it can be forgotten.</summary>
    public bool IsFullAt(long now) => _tokens + ((now - _lastRefill) * _ratePerMillisecond) >= _burst;
}
