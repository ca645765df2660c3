namespace Lan.Actors.TestKit;

/// <summary>Expectations over several messages.</summary>
public abstract partial class TestKitBase
{
    /// <summary>Expects exactly these messages, in any order.</summary>
    public IReadOnlyList<T> ExpectMsgAllOf<T>(params T[] messages) => ExpectMsgAllOfAsync(null, messages).GetAwaiter().GetResult();

    /// <summary>Expects exactly these messages, in any order, within <paramref name="max"/>.</summary>
    public IReadOnlyList<T> ExpectMsgAllOf<T>(TimeSpan max, params T[] messages) => ExpectMsgAllOfAsync(max, messages).GetAwaiter().GetResult();

    /// <summary>Expects one message equal to any of <paramref name="messages"/>.</summary>
    public T ExpectMsgAnyOf<T>(params T[] messages) => ExpectMsgAnyOfAsync(null, messages).GetAwaiter().GetResult();

    /// <summary>Takes messages until one satisfies <paramref name="isMessage"/>, dropping the others.</summary>
    public object FishForMessage(Predicate<object> isMessage, TimeSpan? max = null, string? hint = null) =>
        FishForMessageAsync(isMessage, max, hint).GetAwaiter().GetResult();

    /// <summary>Takes messages until one of type <typeparamref name="T"/> satisfies <paramref name="isMessage"/>.</summary>
    public T FishForMessage<T>(Predicate<T> isMessage, TimeSpan? max = null, string? hint = null) =>
        FishForMessageAsync(isMessage, max, hint).GetAwaiter().GetResult();

    /// <summary>Receives exactly <paramref name="count"/> messages within <paramref name="max"/>.</summary>
    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? max = null) => ReceiveNAsync(count, max).GetAwaiter().GetResult();

    /// <summary>
    /// Receives while <paramref name="filter"/> maps messages to non-null results, stopping at the first it
    /// maps to null (which stays queued), after <paramref name="max"/>, after a gap of <paramref name="idle"/>, or after <paramref name="msgs"/> messages.
    /// </summary>
    public IReadOnlyList<T> ReceiveWhile<T>(Func<object, T?> filter, TimeSpan? max = null, TimeSpan? idle = null, int msgs = int.MaxValue) where T : class =>
        ReceiveWhileAsync(filter, max, idle, msgs).GetAwaiter().GetResult();

    /// <summary>Receives messages of type <typeparamref name="T"/> while <paramref name="shouldContinue"/> holds.</summary>
    public IReadOnlyList<T> ReceiveWhile<T>(Predicate<T> shouldContinue, TimeSpan? max = null, TimeSpan? idle = null, int msgs = int.MaxValue) where T : class =>
        ReceiveWhileAsync<T>(message => message is T typed && shouldContinue(typed) ? typed : null, max, idle, msgs).GetAwaiter().GetResult();

    /// <summary>Async form of <see cref="ExpectMsgAllOf{T}(TimeSpan, T[])"/>.</summary>
    public async Task<IReadOnlyList<T>> ExpectMsgAllOfAsync<T>(TimeSpan? max, params T[] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var deadline = DateTime.UtcNow + Resolve(max);
        var missing = new List<T>(messages);
        var received = new List<T>(messages.Length);
        while (missing.Count > 0)
        {
            var envelope = await TryReceiveAsync(deadline - DateTime.UtcNow).ConfigureAwait(false)
                ?? throw new TestKitAssertionException(
                    $"Timeout while waiting for all of [{string.Join(", ", messages)}]: still missing [{string.Join(", ", missing)}], received [{string.Join(", ", received)}].");
            var index = envelope.Message is T typed ? missing.FindIndex(m => EqualityComparer<T>.Default.Equals(m, typed)) : -1;
            if (index < 0)
            {
                throw new TestKitAssertionException(
                    $"Expected all of [{string.Join(", ", messages)}] in any order, but received the unexpected {Describe(envelope)}; still missing [{string.Join(", ", missing)}].");
            }
            received.Add((T)envelope.Message);
            missing.RemoveAt(index);
        }
        return received;
    }

    /// <summary>Async form of <see cref="ExpectMsgAnyOf{T}"/>.</summary>
    public async Task<T> ExpectMsgAnyOfAsync<T>(TimeSpan? max, params T[] messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var wait = Resolve(max);
        var envelope = await TryReceiveAsync(wait).ConfigureAwait(false)
            ?? throw new TestKitAssertionException($"Timeout ({Format(wait)}) while waiting for any of [{string.Join(", ", messages)}]: nothing arrived.");
        if (envelope.Message is T typed && Array.Exists(messages, m => EqualityComparer<T>.Default.Equals(m, typed)))
        {
            return typed;
        }
        throw new TestKitAssertionException($"Expected any of [{string.Join(", ", messages)}], but received {Describe(envelope)}.");
    }

    /// <summary>Async form of <see cref="FishForMessage(Predicate{object}, TimeSpan?, string?)"/>.</summary>
    public Task<object> FishForMessageAsync(Predicate<object> isMessage, TimeSpan? max = null, string? hint = null) =>
        FishForMessageAsync<object>(isMessage, max, hint);

    /// <summary>Async form of <see cref="FishForMessage{T}"/>.</summary>
    public async Task<T> FishForMessageAsync<T>(Predicate<T> isMessage, TimeSpan? max = null, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(isMessage);
        var wait = Resolve(max);
        var deadline = DateTime.UtcNow + wait;
        var skipped = new List<string>();
        while (true)
        {
            var envelope = await TryReceiveAsync(deadline - DateTime.UtcNow).ConfigureAwait(false)
                ?? throw new TestKitAssertionException(
                    $"Timeout ({Format(wait)}) while fishing for a {typeof(T).Name}{Hint(hint)}; skipped [{string.Join(", ", skipped)}].");
            if (envelope.Message is T typed && isMessage(typed))
            {
                return typed;
            }
            skipped.Add(envelope.Message.ToString() ?? envelope.Message.GetType().Name);
        }
    }

    /// <summary>Async form of <see cref="ReceiveN"/>.</summary>
    public async Task<IReadOnlyList<object>> ReceiveNAsync(int count, TimeSpan? max = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var wait = Resolve(max);
        var deadline = DateTime.UtcNow + wait;
        var received = new List<object>(count);
        while (received.Count < count)
        {
            var envelope = await TryReceiveAsync(deadline - DateTime.UtcNow).ConfigureAwait(false)
                ?? throw new TestKitAssertionException($"Timeout ({Format(wait)}) while waiting for {count} messages: received {received.Count} [{string.Join(", ", received)}].");
            received.Add(envelope.Message);
        }
        return received;
    }

    /// <summary>Async form of <see cref="ReceiveWhile{T}(Func{object, T}, TimeSpan?, TimeSpan?, int)"/>.</summary>
    public async Task<IReadOnlyList<T>> ReceiveWhileAsync<T>(Func<object, T?> filter, TimeSpan? max = null, TimeSpan? idle = null, int msgs = int.MaxValue)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(filter);
        var deadline = DateTime.UtcNow + Resolve(max);
        var results = new List<T>();
        while (results.Count < msgs)
        {
            var left = deadline - DateTime.UtcNow;
            var wait = idle is { } gap && Dilated(gap) < left ? Dilated(gap) : left;
            var envelope = await TryReceiveAsync(wait).ConfigureAwait(false);
            if (envelope is null)
            {
                break;
            }
            if (filter(envelope.Message) is not { } result)
            {
                PutBack(envelope);
                break;
            }
            results.Add(result);
        }
        return results;
    }
}
