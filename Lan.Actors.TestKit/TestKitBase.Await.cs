namespace Lan.Actors.TestKit;

/// <summary>Time-boxed blocks and polling assertions.</summary>
public abstract partial class TestKitBase
{
    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Runs <paramref name="action"/> with <paramref name="max"/> as the default timeout of the expectations inside; fails if it takes longer.</summary>
    public void Within(TimeSpan max, Action action) => Within(TimeSpan.Zero, max, action);

    /// <summary>As <see cref="Within(TimeSpan, Action)"/>, and fails if the block ends before <paramref name="min"/>.</summary>
    public void Within(TimeSpan min, TimeSpan max, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var previous = _end;
        var dilatedMax = Dilated(max);
        _end = DateTime.UtcNow + dilatedMax;
        try
        {
            var elapsed = Measure(action);
            if (elapsed < min)
            {
                throw new TestKitAssertionException($"The block took {Format(elapsed)}, less than the minimum {Format(min)}.");
            }
            if (elapsed > dilatedMax)
            {
                throw new TestKitAssertionException($"The block took {Format(elapsed)}, more than the maximum {Format(dilatedMax)}.");
            }
        }
        finally
        {
            _end = previous;
        }
    }

    /// <summary>As <see cref="Within(TimeSpan, Action)"/>, returning the block's result.</summary>
    public T Within<T>(TimeSpan max, Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        T result = default!;
        Within(max, () => result = function());
        return result;
    }

    /// <summary>Async form of <see cref="Within(TimeSpan, Action)"/>.</summary>
    public async Task WithinAsync(TimeSpan max, Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var previous = _end;
        var dilatedMax = Dilated(max);
        var started = DateTime.UtcNow;
        _end = started + dilatedMax;
        try
        {
            await action().ConfigureAwait(false);
            var elapsed = DateTime.UtcNow - started;
            if (elapsed > dilatedMax)
            {
                throw new TestKitAssertionException($"The block took {Format(elapsed)}, more than the maximum {Format(dilatedMax)}.");
            }
        }
        finally
        {
            _end = previous;
        }
    }

    /// <summary>Retries <paramref name="assertion"/> until it passes or <paramref name="duration"/> runs out; then rethrows its last failure.</summary>
    public void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null) =>
        AwaitAssertAsync(() =>
        {
            assertion();
            return Task.CompletedTask;
        }, duration, interval).GetAwaiter().GetResult();

    /// <summary>Async form of <see cref="AwaitAssert"/>.</summary>
    public async Task AwaitAssertAsync(Func<Task> assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var deadline = DateTime.UtcNow + Resolve(duration);
        while (true)
        {
            try
            {
                await assertion().ConfigureAwait(false);
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(interval ?? DefaultPollInterval).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it is true; fails with <paramref name="message"/> when <paramref name="max"/> runs out.</summary>
    public void AwaitCondition(Func<bool> condition, TimeSpan? max = null, TimeSpan? interval = null, string? message = null) =>
        AwaitConditionAsync(() => Task.FromResult(condition()), max, interval, message).GetAwaiter().GetResult();

    /// <summary>Async form of <see cref="AwaitCondition"/>.</summary>
    public async Task AwaitConditionAsync(Func<Task<bool>> condition, TimeSpan? max = null, TimeSpan? interval = null, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var wait = Resolve(max);
        var deadline = DateTime.UtcNow + wait;
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TestKitAssertionException($"Timeout ({Format(wait)}) while awaiting a condition{(message is null ? "" : ": " + message)}.");
            }
            await Task.Delay(interval ?? DefaultPollInterval).ConfigureAwait(false);
        }
    }
}
