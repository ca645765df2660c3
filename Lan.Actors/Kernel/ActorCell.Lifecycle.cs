using System.Runtime.ExceptionServices;

namespace Lan.Actors.Kernel;

/// <summary>Creation, failure, restart and stop of the actor that the cell hosts.</summary>
internal sealed partial class ActorCell
{
    private bool _failed;
    private object? _failedMessage;
    private int _suspendCount;
    private HashSet<IActorRef>? _escalatedChildren;
    private volatile bool _terminating;
    private volatile bool _terminated;
    private Exception? _pendingRecreate;

    private void HandleSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case Create:
                HandleCreate();
                break;
            case Terminate:
                HandleTerminate();
                break;
            case Resume:
                HandleResume();
                break;
            case Suspend:
                HandleSuspend();
                break;
            case ResumeChild:
                HandleResumeChild();
                break;
            case Recreate recreate:
                if (recreate.ReleasesSuspension && _suspendCount > 0)
                {
                    _suspendCount--;
                }
                HandleRecreate(recreate.Cause);
                break;
            case Failed failed:
                HandleChildFailed(failed);
                break;
            case Watch watch:
                HandleWatch(watch);
                break;
            case Unwatch unwatch:
                HandleUnwatch(unwatch);
                break;
            case DeathWatchNotification notification:
                HandleDeathWatchNotification(notification);
                break;
            case RunContinuation continuation:
                RunAsyncContinuation(continuation);
                break;
            case AsyncHandlerCompleted completed:
                HandleAsyncCompleted(completed.Task);
                break;
        }
    }

    private void HandleCreate()
    {
        try
        {
            _actor = NewActor();
            _actor.InvokePreStart();
        }
        catch (Exception e)
        {
            FailInitialization(e);
        }
    }

    private void FailInitialization(Exception e)
    {
        var cause = e as ActorInitializationException
            ?? new ActorInitializationException(Self, $"{Props.Type.Name} at {Self.Path} failed to start: {e.Message}", e);
        HandleInvokeFailure(cause);
    }

    /// <summary>The actor threw: suspend it and ask the parent what to do.</summary>
    private void HandleInvokeFailure(Exception cause)
    {
        if (_failed || _terminating || _terminated)
        {
            System.Log.Debug(cause, "{Actor} failed again while waiting for its supervisor; the failure is dropped", Self.Path);
            return;
        }
        _failed = true;
        _failedMessage = _currentEnvelope?.Message;
        _pendingTask = null;
        // As in Akka, the children hold their messages until the supervisor has decided (sent before the
        // failure, so they are suspended before any decision can be taken).
        SuspendChildren();
        ActorRefInternals.SendSystem(_parent, new Failed(Self, cause));
    }

    private void HandleResume()
    {
        if (!_failed || _terminating || _terminated)
        {
            return;
        }
        _failed = false;
        ReleaseChildren(); // the failure suspended them
        if (_actor is null)
        {
            // Nothing to resume when the constructor failed: start afresh instead.
            HandleCreate();
            return;
        }
        _failedMessage = null;
        // A child whose failure this actor escalated still waits for a directive: resuming this actor resumes it.
        if (_escalatedChildren is { } escalated)
        {
            _escalatedChildren = null;
            foreach (var child in escalated)
            {
                ActorRefInternals.SendSystem(child, Resume.Instance);
            }
        }
    }

    private void SuspendChildren()
    {
        foreach (var child in GetChildrenSnapshot())
        {
            child.Cell.SendSystemMessage(Suspend.Instance);
        }
    }

    private void HandleSuspend()
    {
        _suspendCount++;
        SuspendChildren();
    }

    private void HandleResumeChild()
    {
        if (_suspendCount > 0)
        {
            _suspendCount--;
        }
        ReleaseChildren();
    }

    private void ReleaseChildren()
    {
        foreach (var child in GetChildrenSnapshot())
        {
            child.Cell.SendSystemMessage(ResumeChild.Instance);
        }
    }

    private void HandleRecreate(Exception cause)
    {
        if (_terminating || _terminated)
        {
            return;
        }
        if (_actor is { } failedActor)
        {
            // Stashed messages go back to the front of the mailbox so the new instance sees them.
            _stash?.UnstashAllForRestart();
            _timers?.CancelAll();
            SetReceiveTimeout(null);
            try
            {
                failedActor.InvokePreRestart(cause, _failedMessage);
            }
            catch (Exception e)
            {
                System.Log.Error(e, "PreRestart of {Actor} threw; restarting anyway", Self.Path);
            }
        }
        _actor = null;
        _behavior = null;
        _behaviorStack = null;
        _escalatedChildren = null; // PreRestart stopped them, or FinishRecreate restarts the survivors
        EndIncarnation();
        _pendingRecreate = cause;
        if (!HasStoppingChildren)
        {
            FinishRecreate();
        }
    }

    private void FinishRecreate()
    {
        var cause = _pendingRecreate!;
        _pendingRecreate = null;
        _failed = false;
        _failedMessage = null;
        _supervisorStrategy = null;
        var survivors = GetChildrenSnapshot();
        try
        {
            _actor = NewActor();
            _actor.InvokePostRestart(cause);
        }
        catch (Exception e)
        {
            // The failure below suspends the survivors again; release the suspension this restart would have lifted,
            // so one Resume or restart later frees them.
            ReleaseChildren();
            FailInitialization(e);
            return;
        }
        foreach (var child in survivors)
        {
            ActorRefInternals.SendSystem(child, new Recreate(cause, ReleasesSuspension: true));
        }
    }

    private void HandleTerminate()
    {
        LocalActorRef[] children;
        lock (this)
        {
            if (_terminating || _terminated)
            {
                return;
            }
            _terminating = true;
            children = ChildrenUnderLock();
        }
        EndIncarnation();
        _timers?.CancelAll();
        SetReceiveTimeout(null);
        if (children.Length == 0)
        {
            FinishTerminate();
            return;
        }
        foreach (var child in children)
        {
            (_stopping ??= []).Add(child);
            child.Cell.SendSystemMessage(Terminate.Instance);
        }
    }

    private void FinishTerminate()
    {
        try
        {
            _actor?.InvokePostStop();
        }
        catch (Exception e)
        {
            System.Log.Error(e, "PostStop of {Actor} threw", Self.Path);
        }
        _terminated = true;
        List<SystemMessage> leftovers;
        lock (this)
        {
            _mailboxClosed = true;
            leftovers = [.. _systemQueue ?? new Queue<SystemMessage>()];
            _systemQueue = null;
            _systemCount = 0;
        }
        foreach (var leftover in leftovers)
        {
            HandleSystemMessageAfterDeath(leftover);
        }
        TellWatchersWeDied();
        System.EventStream.Unsubscribe(Self);
        DrainToDeadLetters();
        _actor = null;
        _behavior = null;
        _behaviorStack = null;
        _pendingTask = null;
    }

    /// <summary>What a dead actor does with a system message that reaches it: a new watcher learns of the death at once.</summary>
    private void HandleSystemMessageAfterDeath(SystemMessage message)
    {
        if (message is Watch watch && !ReferenceEquals(watch.Watcher, Self))
        {
            ActorRefInternals.SendSystem(watch.Watcher, new DeathWatchNotification(Self, ExistenceConfirmed: false));
        }
    }

    // ---- ReceiveAsync: the actor stays suspended for user messages until the handler's task completes.

    private Task? _pendingTask;
    private Envelope? _asyncEnvelope;
    private ActorSynchronizationContext? _synchronizationContext;
    private int _incarnation;

    /// <summary>
    /// Ends the current instance's claim on the cell: continuations of its async handlers that arrive later
    /// are dropped instead of running against the next instance (or a stopping actor).
    /// </summary>
    private void EndIncarnation()
    {
        _incarnation++;
        _synchronizationContext = null;
        _pendingTask = null;
        _asyncEnvelope = null;
    }

    internal void RunTask(Func<Task> handler)
    {
        var previousContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_synchronizationContext ??= new ActorSynchronizationContext(this, _incarnation));
        Task task;
        try
        {
            task = handler();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
        if (task.IsCompleted)
        {
            ThrowIfUnsuccessful(task);
            return;
        }
        _pendingTask = task;
        _asyncEnvelope = _currentEnvelope;
        task.ContinueWith(
            static (finished, state) => ((ActorCell)state!).SendSystemMessage(new AsyncHandlerCompleted(finished)),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void RunAsyncContinuation(RunContinuation continuation)
    {
        if (continuation.Incarnation != _incarnation || _terminated)
        {
            System.Log.Debug("{Actor} dropped an async continuation of an instance that has restarted or stopped", Self.Path);
            return;
        }
        var previousContext = SynchronizationContext.Current;
        var previousEnvelope = _currentEnvelope;
        SynchronizationContext.SetSynchronizationContext(_synchronizationContext);
        _currentEnvelope = _asyncEnvelope ?? previousEnvelope;
        try
        {
            continuation.Callback(continuation.State);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previousContext);
            _currentEnvelope = previousEnvelope;
        }
    }

    private void HandleAsyncCompleted(Task task)
    {
        if (!ReferenceEquals(task, _pendingTask))
        {
            return; // from an instance that has since restarted or stopped
        }
        _pendingTask = null;
        _currentEnvelope = _asyncEnvelope;
        _asyncEnvelope = null;
        try
        {
            ThrowIfUnsuccessful(task);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e);
        }
    }

    private static void ThrowIfUnsuccessful(Task task)
    {
        if (task.IsFaulted)
        {
            ExceptionDispatchInfo.Throw(task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception);
        }
        if (task.IsCanceled)
        {
            throw new TaskCanceledException(task);
        }
    }
}

/// <summary>Posts the continuations of a <c>ReceiveAsync</c> handler back into its actor.</summary>
internal sealed class ActorSynchronizationContext(ActorCell cell, int incarnation) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) => cell.SendSystemMessage(new RunContinuation(d, state, incarnation));

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send into an actor would deadlock; use Post (await does).");

    public override SynchronizationContext CreateCopy() => this;
}
