using System.Runtime.InteropServices;

namespace Lan.Actors.Kernel;

/// <summary>One queued message and its sender; also the node of the mailbox's linked queue.</summary>
internal sealed class Envelope(object message, IActorRef? sender)
{
    public object Message = message;
    public IActorRef? Sender = sender;
    public Envelope? Next;
}

/// <summary>
/// The mailbox: a lock-free multi-producer single-consumer queue of user messages (producers swap the
/// head; the one running thread follows the links from the tail), a small locked queue of system
/// messages that always goes first, and a scheduled flag so that at most one thread runs the actor.
/// </summary>
internal sealed partial class ActorCell : IThreadPoolWorkItem
{
    /// <summary>
    /// The producers' end of the queue on a cache line of its own: every Tell writes it, and sharing a line with the
    /// consumer's tail would make each dequeue miss the cache.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 136)]
    private struct PaddedHead
    {
        [FieldOffset(64)]
        public Envelope Envelope;
    }

    private const int Idle = 0;
    private const int Scheduled = 1;

    private PaddedHead _head;
    private Envelope _userTail;
    private int _status;
    private Queue<SystemMessage>? _systemQueue;
    private volatile int _systemCount;
    private bool _mailboxClosed;
    private LinkedList<Envelope>? _unstashed;

    internal void SendUserMessage(object message, IActorRef? sender)
    {
        if (_terminated)
        {
            DeadLetterOrAnswer(message, sender);
            return;
        }
        var node = new Envelope(message, sender);
        var previous = Interlocked.Exchange(ref _head.Envelope, node);
        Volatile.Write(ref previous.Next, node);
        TrySchedule();
    }

    internal void SendSystemMessage(SystemMessage message)
    {
        bool closed;
        lock (this)
        {
            closed = _mailboxClosed;
            if (!closed)
            {
                (_systemQueue ??= new Queue<SystemMessage>(2)).Enqueue(message);
                _systemCount++;
            }
        }
        if (closed)
        {
            HandleSystemMessageAfterDeath(message);
        }
        else
        {
            // Pairs with the full fence after a turn goes idle: the count written above must be visible
            // before this thread reads the status, or both sides could skip scheduling.
            Interlocked.MemoryBarrier();
            TrySchedule();
        }
    }

    private void TrySchedule()
    {
        if (Volatile.Read(ref _status) == Idle && Interlocked.CompareExchange(ref _status, Scheduled, Idle) == Idle)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>One turn on a pool thread: all system messages, then up to <c>throughput</c> user messages.</summary>
    public void Execute()
    {
        var previous = t_current;
        t_current = this;
        try
        {
            ProcessSystemMessages();
            if (_terminated)
            {
                DrainToDeadLetters();
            }
            else
            {
                var budget = System.Settings.Throughput;
                while (budget-- > 0 && CanProcessUserMessages && TryDequeueUser(out var envelope))
                {
                    Invoke(envelope);
                    if (_systemCount != 0)
                    {
                        ProcessSystemMessages();
                    }
                }
            }
        }
        finally
        {
            t_current = previous;
        }
        // A full fence, not a release store: the look at the queues below must not move before this
        // write, or a producer that still sees Scheduled and this turn would both skip scheduling.
        Interlocked.Exchange(ref _status, Idle);
        // A producer that saw Scheduled did not schedule; look again so no message is stranded.
        if (_systemCount != 0 || ((CanProcessUserMessages || _terminated) && HasUserMessages))
        {
            TrySchedule();
        }
    }

    private bool CanProcessUserMessages =>
        _actor is not null && !_failed && _suspendCount == 0 && _pendingTask is null && !_terminating && !_terminated && _pendingRecreate is null;

    private bool HasUserMessages => _unstashed is { Count: > 0 } || Volatile.Read(ref _head.Envelope) != _userTail;

    private bool TryDequeueUser(out Envelope envelope)
    {
        if (_unstashed is { Count: > 0 } unstashed)
        {
            envelope = unstashed.First!.Value;
            unstashed.RemoveFirst();
            return true;
        }
        var next = Volatile.Read(ref _userTail.Next);
        if (next is null)
        {
            envelope = null!;
            return false;
        }
        // The dequeued node becomes the new stub; its message is released after it has been handled.
        _userTail = next;
        envelope = next;
        return true;
    }

    private void ProcessSystemMessages()
    {
        while (_systemCount != 0)
        {
            SystemMessage message;
            lock (this)
            {
                message = _systemQueue!.Dequeue();
                _systemCount--;
            }
            try
            {
                HandleSystemMessage(message);
            }
            catch (Exception e)
            {
                // A fault in the runtime's own handling must not take down the dispatcher thread.
                System.Log.Error(e, "Internal error in {Actor} while handling {SystemMessage}", Self.Path, message);
            }
        }
    }

    private void Invoke(Envelope envelope)
    {
        _currentEnvelope = envelope;
        var message = envelope.Message;
        if (_receiveTimeout is not null && message is not INotInfluenceReceiveTimeout)
        {
            // Stamped before the handler: whoever sees its reply knows the timeout was already postponed.
            _lastActivity = System.TimeProvider.GetTimestamp();
        }
        try
        {
            if (message is IAutoReceivedMessage)
            {
                AutoReceive(message);
            }
            else
            {
                ReceiveMessage(message);
            }
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
        if (_pendingTask is null)
        {
            _currentEnvelope = null;
            if (ReferenceEquals(envelope, _userTail))
            {
                envelope.Message = null!;
                envelope.Sender = null;
            }
        }
    }

    private void AutoReceive(object message)
    {
        switch (message)
        {
            case PoisonPill:
                SendSystemMessage(Terminate.Instance);
                break;
            case Kill:
                throw new ActorKilledException("Kill");
            case Identify identify:
                Sender.Tell(new ActorIdentity(identify.MessageId, Self), Self);
                break;
            case DeathWatchDelivery delivery:
                if (_terminatedQueued is not null && _terminatedQueued.Remove(delivery.Subject))
                {
                    ReceiveUnwrapped(delivery.Message);
                }
                break;
            case TimerFired fired:
                if (_timers is not null && _timers.TryTake(fired, out var timerMessage))
                {
                    ReceiveUnwrapped(timerMessage);
                }
                break;
            case ReceiveTimeoutTick tick:
                OnReceiveTimeoutTick(tick);
                break;
            default:
                ReceiveMessage(message);
                break;
        }
    }

    /// <summary>
    /// Delivers the user's message that a runtime wrapper carried, and puts it in the current envelope too,
    /// so that Stash, PreRestart and Unhandled see the user's message and never the wrapper.
    /// </summary>
    private void ReceiveUnwrapped(object message)
    {
        _currentEnvelope!.Message = message;
        ReceiveMessage(message);
    }

    /// <summary>Puts stashed envelopes back in front of the mailbox, oldest first.</summary>
    internal void Prepend(IReadOnlyList<Envelope> envelopes)
    {
        if (envelopes.Count == 0)
        {
            return;
        }
        var unstashed = _unstashed ??= new LinkedList<Envelope>();
        for (var i = envelopes.Count - 1; i >= 0; i--)
        {
            unstashed.AddFirst(envelopes[i]);
        }
    }

    internal Envelope CurrentEnvelope => _currentEnvelope
        ?? throw new IllegalActorStateException("There is no current message: Stash() is only valid while handling a message.");

    private void DrainToDeadLetters()
    {
        while (TryDequeueUser(out var envelope))
        {
            DeadLetterOrAnswer(envelope.Message, envelope.Sender);
            envelope.Message = null!;
            envelope.Sender = null;
        }
        _stash?.DrainTo(this);
    }

    /// <summary>What a stopped actor does with a message: answers Identify, drops runtime ticks, dead-letters the rest.</summary>
    private void DeadLetterOrAnswer(object message, IActorRef? sender)
    {
        switch (message)
        {
            case Identify identify:
                sender?.Tell(new ActorIdentity(identify.MessageId, null), Self);
                break;
            case DeathWatchDelivery or TimerFired or ReceiveTimeoutTick:
                break;
            default:
                DeadLetter(message, sender);
                break;
        }
    }

    internal void DeadLetter(object message, IActorRef? sender)
    {
        if (message is Kernel.DeadLetter or UnhandledMessage)
        {
            return; // an event for a stopped subscriber: publishing it again as a dead letter would loop
        }
        System.DeadLetters.Tell(new Kernel.DeadLetter(message, sender ?? System.DeadLetters, Self), sender);
    }
}
