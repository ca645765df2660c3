namespace Lan.Actors.Kernel;

/// <summary>Children: creation with unique names, stopping, and supervising their failures.</summary>
internal sealed partial class ActorCell
{
    private Dictionary<string, LocalActorRef>? _children;
    private HashSet<IActorRef>? _stopping;
    private Dictionary<IActorRef, ChildRestartStats>? _childStats;
    private SupervisorStrategy? _supervisorStrategy;
    private long _nextChildId;

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is not null)
        {
            ActorPath.ValidateName(name);
        }
        ActorCell child;
        lock (this)
        {
            if (_terminating || _terminated)
            {
                throw new IllegalActorStateException(
                    $"Cannot create child [{name ?? props.Type.Name}]: {Self.Path} is stopping. Create children before stopping the parent.");
            }
            name ??= GeneratedName(++_nextChildId);
            var children = _children ??= new Dictionary<string, LocalActorRef>(StringComparer.Ordinal);
            if (children.ContainsKey(name))
            {
                throw new InvalidActorNameException(
                    $"Actor name [{name}] is not unique among the children of {Self.Path}; pick another name, or wait for the old actor's Terminated.");
            }
            child = new ActorCell(System, Self, props, Self.Path.Child(name, System.NextUid()));
            children.Add(name, child.Self);
        }
        child.SendSystemMessage(Create.Instance);
        return child.Self;
    }

    /// <summary>'$a', '$b', ... '$ba': short names that cannot clash with user names (which may not start with '$').</summary>
    private static string GeneratedName(long id)
    {
        Span<char> buffer = stackalloc char[16];
        var position = buffer.Length;
        do
        {
            buffer[--position] = (char)('a' + (int)(id % 26));
            id /= 26;
        }
        while (id > 0);
        buffer[--position] = '$';
        return new string(buffer[position..]);
    }

    public IActorRef Child(string name)
    {
        lock (this)
        {
            return _children is not null && _children.TryGetValue(name, out var child) ? child : ActorRefs.Nobody;
        }
    }

    public IEnumerable<IActorRef> GetChildren() => GetChildrenSnapshot();

    private LocalActorRef[] GetChildrenSnapshot()
    {
        lock (this)
        {
            return ChildrenUnderLock();
        }
    }

    private LocalActorRef[] ChildrenUnderLock() => _children is null || _children.Count == 0 ? [] : [.. _children.Values];

    private bool IsChild(IActorRef actor)
    {
        lock (this)
        {
            return _children is not null && _children.TryGetValue(actor.Path.Name, out var child) && ReferenceEquals(child, actor);
        }
    }

    private bool HasStoppingChildren => _stopping is { Count: > 0 };

    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var child = ActorRefInternals.Unwrap(actor);
        if (!ReferenceEquals(child, Self) && ReferenceEquals(t_current, this) && IsChild(child))
        {
            (_stopping ??= []).Add(child);
        }
        ActorRefInternals.SendSystem(child, Terminate.Instance);
    }

    /// <summary>A child stopped: forget it, and finish a pending stop or restart that was waiting for it.</summary>
    private void HandleChildTerminated(IActorRef child)
    {
        bool noChildrenLeft;
        lock (this)
        {
            if (_children is not null && _children.TryGetValue(child.Path.Name, out var known) && ReferenceEquals(known, child))
            {
                _children.Remove(child.Path.Name);
            }
            noChildrenLeft = _children is null || _children.Count == 0;
        }
        _stopping?.Remove(child);
        _childStats?.Remove(child);
        if (_terminating && !_terminated && noChildrenLeft)
        {
            FinishTerminate();
        }
        else if (_pendingRecreate is not null && !HasStoppingChildren)
        {
            FinishRecreate();
        }
    }

    private SupervisorStrategy SupervisorStrategy =>
        _supervisorStrategy ??= Props.SupervisorStrategy ?? _actor?.InvokeSupervisorStrategy() ?? SupervisorStrategy.DefaultStrategy;

    private void HandleChildFailed(Failed failed)
    {
        if (_terminating || _terminated || !IsChild(failed.Child))
        {
            return; // a child that is being stopped anyway, or is already gone
        }
        var strategy = SupervisorStrategy;
        Directive directive;
        try
        {
            directive = strategy.Decider.Decide(failed.Cause);
        }
        catch (Exception e)
        {
            System.Log.Error(e, "The supervisor strategy of {Actor} threw while deciding; escalating", Self.Path);
            directive = Directive.Escalate;
        }
        if (directive == Directive.Restart && !RestartPermitted(strategy, failed.Child))
        {
            directive = Directive.Stop;
        }
        LogFailure(strategy, failed, directive);
        switch (directive)
        {
            case Directive.Resume:
                ActorRefInternals.SendSystem(failed.Child, Resume.Instance);
                break;
            case Directive.Restart:
                foreach (var target in Targets(strategy, failed.Child))
                {
                    ActorRefInternals.SendSystem(target, new Recreate(failed.Cause));
                }
                break;
            case Directive.Stop:
                foreach (var target in Targets(strategy, failed.Child))
                {
                    Stop(target);
                }
                break;
            default:
                (_escalatedChildren ??= []).Add(failed.Child);
                HandleInvokeFailure(failed.Cause);
                break;
        }
    }

    /// <summary>
    /// Charges a restart to every child the directive restarts (as Akka does): with all-for-one, siblings restarted
    /// because of another's failure use up their own budget too, and one exhausted budget stops them all.
    /// </summary>
    private bool RestartPermitted(SupervisorStrategy strategy, IActorRef failedChild)
    {
        var now = System.TimeProvider.GetTimestamp();
        var permitted = true;
        foreach (var child in Targets(strategy, failedChild))
        {
            var stats = (_childStats ??= []).TryGetValue(child, out var existing) ? existing : _childStats[child] = new ChildRestartStats();
            permitted &= strategy.RequestRestartPermission(stats, now, System.TimeProvider);
        }
        return permitted;
    }

    private IActorRef[] Targets(SupervisorStrategy strategy, IActorRef failedChild) =>
        strategy.AppliesToAllChildren ? GetChildrenSnapshot() : [failedChild];

    private void LogFailure(SupervisorStrategy strategy, Failed failed, Directive directive)
    {
        if (!strategy.LoggingEnabled || directive == Directive.Escalate)
        {
            return; // an escalated failure is logged by whoever finally handles it
        }
        if (directive == Directive.Resume)
        {
            System.Log.Warning(failed.Cause, "{Child} failed: {Reason}; resuming", failed.Child.Path, failed.Cause.Message);
        }
        else
        {
            System.Log.Error(failed.Cause, "{Child} failed: {Reason}; {Directive}", failed.Child.Path, failed.Cause.Message, directive);
        }
    }
}
