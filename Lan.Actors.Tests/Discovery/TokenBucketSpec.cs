using Lan.Actors.Io;
using Lan.Actors.Discovery;

namespace Lan.Actors.Tests.Discovery;

/// <summary>The rate limit of discovery replies, driven with clock readings the spec chooses.</summary>
public sealed class TokenBucketSpec
{
    // 1,000 tokens a second is one a millisecond, so each step of the made-up clock refills exactly one.
    private static (TokenBucket Bucket, long Start) EmptiedBucket()
    {
        var start = 1_000_000L;
        var bucket = new TokenBucket(ratePerSecond: 1000, burst: 3, now: start);
        Assert.True(bucket.TryTake(start));
        Assert.True(bucket.TryTake(start));
        Assert.True(bucket.TryTake(start));
        return (bucket, start);
    }

    [Fact]
    public void TryTake_StartsFull_AndRefusesPastTheBurst()
    {
        var (bucket, start) = EmptiedBucket();
        Assert.False(bucket.TryTake(start));
    }

    [Fact]
    public void TryTake_RefillsAtTheRate_OneTokenPerMillisecondHere()
    {
        var (bucket, start) = EmptiedBucket();
        Assert.True(bucket.TryTake(start + 1));
        Assert.False(bucket.TryTake(start + 1));
        Assert.True(bucket.TryTake(start + 3));
        Assert.True(bucket.TryTake(start + 3));
        Assert.False(bucket.TryTake(start + 3));
    }

    [Fact]
    public void TryTake_SavesNoMoreThanTheBurst_AfterALongQuiet()
    {
        var (bucket, start) = EmptiedBucket();
        var later = start + 60_000;
        Assert.True(bucket.TryTake(later));
        Assert.True(bucket.TryTake(later));
        Assert.True(bucket.TryTake(later));
        Assert.False(bucket.TryTake(later));
    }

    [Fact]
    public void TryTake_WithLessThanOneTokenSaved_Refuses()
    {
        var start = 1_000_000L;
        var bucket = new TokenBucket(ratePerSecond: 500, burst: 1, now: start);
        Assert.True(bucket.TryTake(start));
        // Half a token after one millisecond at 500 a second; the whole one after two.
        Assert.False(bucket.TryTake(start + 1));
        Assert.True(bucket.TryTake(start + 2));
    }

    [Fact]
    public void IsFullAt_IsTrue_OnceTheBurstHasRefilled_AndNotBefore()
    {
        var (bucket, start) = EmptiedBucket();
        Assert.False(bucket.IsFullAt(start));
        Assert.False(bucket.IsFullAt(start + 2));
        Assert.True(bucket.IsFullAt(start + 3));
        Assert.True(bucket.IsFullAt(start + 1000));
    }

    [Fact]
    public void IsFullAt_IsTrue_ForABucketNeverUsed()
    {
        var bucket = new TokenBucket(ratePerSecond: 5, burst: 5, now: 42);
        Assert.True(bucket.IsFullAt(42));
    }
}
