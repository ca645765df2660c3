using Lan.Actors.Kernel;

namespace Lan.Actors.TestKit;

/// <summary>Expectations on single messages.</summary>
public abstract partial class TestKitBase
{
    /// <summary>Expects a message of type <typeparamref name="T"/> within the timeout.</summary>
    public T ExpectMsg<T>(TimeSpan? timeout = null, string? hint = null) => ExpectMsgAsync<T>(timeout, hint).GetAwaiter().GetResult();

    /// <summary>Expects a message equal to <paramref name="message"/>.</summary>
    public T ExpectMsg<T>(T message, TimeSpan? timeout = null, string? hint = null) =>
        ExpectMsgAsync(message, timeout, hint).GetAwaiter().GetResult();

    /// <summary>Expects a message of type <typeparamref name="T"/> that satisfies <paramref name="isMessage"/>.</summary>
    public T ExpectMsg<T>(Predicate<T> isMessage, TimeSpan? timeout = null, string? hint = null) =>
        ExpectMsgAsync(isMessage, timeout, hint).GetAwaiter().GetResult();

    /// <summary>Expects a message of type <typeparamref name="T"/> and runs <paramref name="assert"/> on it.</summary>
    public T ExpectMsg<T>(Action<T> assert, TimeSpan? timeout = null, string? hint = null) =>
        ExpectMsgAsync(assert, timeout, hint).GetAwaiter().GetResult();

    /// <summary>Expects a message of type <typeparamref name="T"/> from <paramref name="sender"/>.</summary>
    public T ExpectMsgFrom<T>(IActorRef sender, TimeSpan? timeout = null, string? hint = null) =>
        ExpectMsgFromAsync<T>(sender, timeout, hint).GetAwaiter().GetResult();

    /// <summary>Expects the <see cref="Terminated"/> of <paramref name="target"/> (watch it first).</summary>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null, string? hint = null) =>
        ExpectTerminatedAsync(target, timeout, hint).GetAwaiter().GetResult();

    /// <summary>Expects that no message arrives for <paramref name="duration"/> (default: <c>expect-no-message-default</c>).</summary>
    public void ExpectNoMsg(TimeSpan? duration = null) => ExpectNoMsgAsync(duration).GetAwaiter().GetResult();

    /// <summary>Expects that no message arrives for <paramref name="milliseconds"/> ms.</summary>
    public void ExpectNoMsg(int milliseconds) => ExpectNoMsg(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>Async form of <see cref="ExpectMsg{T}(TimeSpan?, string?)"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default)
    {
        var envelope = await ExpectEnvelopeAsync<T>(timeout, hint, cancellationToken).ConfigureAwait(false);
        return (T)envelope.Message;
    }

    /// <summary>Async form of <see cref="ExpectMsg{T}(T, TimeSpan?, string?)"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(T message, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default)
    {
        var envelope = await ExpectEnvelopeAsync<T>(timeout, hint, cancellationToken).ConfigureAwait(false);
        var received = (T)envelope.Message;
        if (!EqualityComparer<T>.Default.Equals(received, message))
        {
            throw new TestKitAssertionException($"Expected {message}{Hint(hint)}, but received {Describe(envelope)}.");
        }
        return received;
    }

    /// <summary>Async form of <see cref="ExpectMsg{T}(Predicate{T}, TimeSpan?, string?)"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(Predicate<T> isMessage, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(isMessage);
        var envelope = await ExpectEnvelopeAsync<T>(timeout, hint, cancellationToken).ConfigureAwait(false);
        var received = (T)envelope.Message;
        if (!isMessage(received))
        {
            throw new TestKitAssertionException($"Received {Describe(envelope)}, but it did not satisfy the predicate{Hint(hint)}.");
        }
        return received;
    }

    /// <summary>Async form of <see cref="ExpectMsg{T}(Action{T}, TimeSpan?, string?)"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(Action<T> assert, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assert);
        var received = await ExpectMsgAsync<T>(timeout, hint, cancellationToken).ConfigureAwait(false);
        assert(received);
        return received;
    }

    /// <summary>Async form of <see cref="ExpectMsgFrom{T}"/>.</summary>
    public async Task<T> ExpectMsgFromAsync<T>(IActorRef sender, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default)
    {
        var envelope = await ExpectEnvelopeAsync<T>(timeout, hint, cancellationToken).ConfigureAwait(false);
        if (!envelope.Sender.Equals(sender))
        {
            throw new TestKitAssertionException($"Expected a {typeof(T).Name} from {sender.Path}{Hint(hint)}, but received {Describe(envelope)}.");
        }
        return (T)envelope.Message;
    }

    /// <summary>Async form of <see cref="ExpectTerminated"/>.</summary>
    public async Task<Terminated> ExpectTerminatedAsync(IActorRef target, TimeSpan? timeout = null, string? hint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var envelope = await ExpectEnvelopeAsync<Terminated>(timeout, hint ?? $"Terminated of {target.Path}", cancellationToken).ConfigureAwait(false);
        var terminated = (Terminated)envelope.Message;
        if (!terminated.ActorRef.Equals(target))
        {
            throw new TestKitAssertionException($"Expected Terminated of {target.Path}, but received {Describe(envelope)}.");
        }
        return terminated;
    }

    /// <summary>Async form of <see cref="ExpectNoMsg(TimeSpan?)"/>.</summary>
    public async Task ExpectNoMsgAsync(TimeSpan? duration = null, CancellationToken cancellationToken = default)
    {
        var wait = duration is { } explicitDuration ? Dilated(explicitDuration) : Dilated(Sys.Settings.ExpectNoMessageDefault);
        var envelope = await TryReceiveAsync(wait, cancellationToken).ConfigureAwait(false);
        if (envelope is not null)
        {
            throw new TestKitAssertionException($"Expected no message for {Format(wait)}, but received {Describe(envelope)}.");
        }
    }

    private async Task<MessageEnvelope> ExpectEnvelopeAsync<T>(TimeSpan? timeout, string? hint, CancellationToken cancellationToken)
    {
        var wait = Resolve(timeout);
        var envelope = await TryReceiveAsync(wait, cancellationToken).ConfigureAwait(false)
            ?? throw new TestKitAssertionException($"Timeout ({Format(wait)}) while waiting for a message of type {typeof(T).Name}{Hint(hint)}: nothing arrived.");
        if (envelope.Message is not T)
        {
            throw new TestKitAssertionException($"Expected a message of type {typeof(T).Name}{Hint(hint)}, but received {Describe(envelope)}.");
        }
        return envelope;
    }
}
