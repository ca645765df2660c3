namespace Lan.Actors.Kernel;

/// <summary>
/// An actor whose constructor declares its protocol: one <c>Receive&lt;T&gt;</c> per message type,
/// tried in the order declared. <c>Become(() =&gt; { Receive&lt;..&gt;(..); })</c> swaps in another set.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private HandlerTable _configuring;
    private HandlerTable _current;

    /// <summary>Starts declaring the initial behaviour.</summary>
    protected ReceiveActor()
    {
        _configuring = new HandlerTable();
        _current = _configuring;
    }

    /// <inheritdoc />
    protected sealed override bool Receive(object message) => _current.TryHandle(message);

    /// <summary>Handles messages of type <typeparamref name="T"/> (that pass <paramref name="shouldHandle"/>, if given).</summary>
    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _configuring.Add(new ActionHandler<T>(handler, shouldHandle));
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> that pass <paramref name="shouldHandle"/>.</summary>
    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) => Receive(handler, shouldHandle);

    /// <summary>Handles messages of type <typeparamref name="T"/> for which <paramref name="handler"/> returns true.</summary>
    protected void Receive<T>(Func<T, bool> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _configuring.Add(new FuncHandler<T>(handler));
    }

    /// <summary>
    /// Handles messages of type <typeparamref name="T"/> asynchronously: no other message is processed until the
    /// returned task completes, and continuations run inside the actor (Sender and Context stay valid).
    /// </summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _configuring.Add(new ActionHandler<T>(message => ActorCell.Current!.RunTask(() => handler(message)), shouldHandle));
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> that pass <paramref name="shouldHandle"/>, asynchronously.</summary>
    protected void ReceiveAsync<T>(Predicate<T> shouldHandle, Func<T, Task> handler) => ReceiveAsync(handler, shouldHandle);

    /// <summary>Handles any message not handled by an earlier declaration.</summary>
    protected void ReceiveAny(Action<object> handler) => Receive(handler);

    /// <summary>Handles any message asynchronously (see <see cref="ReceiveAsync{T}(Func{T, Task}, Predicate{T})"/>).</summary>
    protected void ReceiveAnyAsync(Func<object, Task> handler) => ReceiveAsync(handler);

    /// <summary>Replaces the behaviour by the declarations that <paramref name="configure"/> makes.</summary>
    protected void Become(Action configure) => Become(Build(configure).TryHandle);

    /// <summary>Pushes the behaviour that <paramref name="configure"/> declares.</summary>
    protected void BecomeStacked(Action configure) => BecomeStacked(Build(configure).TryHandle);

    private HandlerTable Build(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var previous = _configuring;
        var table = new HandlerTable();
        _configuring = table;
        try
        {
            configure();
        }
        finally
        {
            _configuring = previous;
        }
        return table;
    }

    /// <summary>Handlers tried in declaration order; a linear scan beats a type lookup for the few handlers an actor has.</summary>
    private sealed class HandlerTable
    {
        private Handler[] _handlers = [];

        public void Add(Handler handler)
        {
            var next = new Handler[_handlers.Length + 1];
            _handlers.CopyTo(next, 0);
            next[^1] = handler;
            _handlers = next;
        }

        public bool TryHandle(object message)
        {
            foreach (var handler in _handlers)
            {
                if (handler.TryHandle(message))
                {
                    return true;
                }
            }
            return false;
        }
    }

    private abstract class Handler
    {
        public abstract bool TryHandle(object message);
    }

    private sealed class ActionHandler<T>(Action<T> action, Predicate<T>? shouldHandle) : Handler
    {
        public override bool TryHandle(object message)
        {
            if (message is T typed && (shouldHandle is null || shouldHandle(typed)))
            {
                action(typed);
                return true;
            }
            return false;
        }
    }

    private sealed class FuncHandler<T>(Func<T, bool> handler) : Handler
    {
        public override bool TryHandle(object message) => message is T typed && handler(typed);
    }
}
