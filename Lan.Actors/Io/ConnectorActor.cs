using Akka.Actor;
using Akka.Event;

namespace Lan.Actors.Io;

/// <summary>
/// One server's connector: it runs an outbound connection and, when that fails (a
/// <see cref="ConnectionFailedException"/>: the server closed it, it dropped, went silent or could not be reached),
/// starts a new one after an exponential back-off with jitter (<c>lan.tcp.reconnect</c>). A connection that ended by
/// choice or broke the protocol is not replaced: the connector stops with it. <see cref="Close"/> and
/// <see cref="Abort"/> end the connector whatever moment they find: they go to a running connection, and otherwise
/// no further attempt is made.
/// </summary>
/// <remarks>
/// This was Akka's <c>BackoffSupervisor</c>, which has no such last word for the moment between a
/// connection's failure and its end: it forwards a Close that arrives then to the dying connection, where it is
/// lost, and connects again. The new connection never heard the Close, so the client node cut it off without
/// DISCONNECT when its stop timed out, and the server saw a drop.
/// </remarks>
internal sealed class ConnectorActor : ReceiveActor, IWithTimers
{
    private const string ReconnectTimer = "reconnect";
    private const string LastedTimer = "lasted";

    private readonly Props _connection;
    private readonly ReconnectSettings _reconnect;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    // The running connection, or the failed one still stopping; null between two attempts.
    private IActorRef? _current;
    // Set by the supervisor's decision when _current failed in a way that is retried.
    private bool _retry;
    // A Close or an Abort was heard: no connection is started after the current one.
    private bool _ending;
    // Failures since the last connection that lasted min-backoff: the exponent of the next wait.
    private int _failures;
    private int _attempts;

    public ConnectorActor(Props connection, ReconnectSettings reconnect)
    {
        _connection = connection;
        _reconnect = reconnect;
        Receive<Close>(End);
        Receive<Abort>(End);
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_current), _ => ConnectionStopped());
        // Only the current connection is watched; anything else would be a stale notice, not a reason to fail.
        Receive<Terminated>(_ => { });
        Receive<StartAttempt>(_ => StartConnection());
        Receive<AttemptLasted>(lasted =>
        {
            if (lasted.Attempt == _attempts)
            {
                _failures = 0;
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Create(Props connection, ReconnectSettings reconnect) =>
        Props.Create(() => new ConnectorActor(connection, reconnect));

    protected override void PreStart() => StartConnection();

    // Every failure stops the connection; whether another is started is decided when it has stopped. The decider
    // runs inside this actor's own message processing, so it may set the actor's state.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        maxNrOfRetries: -1,
        withinTimeMilliseconds: -1,
        localOnlyDecider: error =>
        {
            _retry = error is ConnectionFailedException;
            if (!_retry)
            {
                // An expected end is told by the connection's own line; anything else is not replaced, and said loudly.
                _log.Error(error, "The connection failed and is not replaced: {0}", error.Message);
            }

            return Directive.Stop;
        },
        loggingEnabled: false);

    private void StartConnection()
    {
        _retry = false;
        _current = Context.Watch(Context.ActorOf(_connection, "connection"));
        _attempts++;
        Timers.StartSingleTimer(LastedTimer, new AttemptLasted(_attempts), _reconnect.MinBackoff);
    }

    private void End(object message)
    {
        _ending = true;
        if (_current is null)
        {
            // Between two attempts: nothing to close, and nothing more to start.
            Context.Stop(Self);
        }
        else if (!_retry)
        {
            // The connection runs: it says DISCONNECT (or resets) and stops, and this connector follows it.
            _current.Forward(message);
        }

        // Otherwise the connection failed and is stopping; when it has stopped, _ending stops this connector.
    }

    private void ConnectionStopped()
    {
        _current = null;
        Timers.Cancel(LastedTimer);
        if (_ending || !_retry)
        {
            Context.Stop(Self);
            return;
        }

        Timers.StartSingleTimer(ReconnectTimer, StartAttempt.Instance, Wait(_reconnect, _failures++));
    }

    // min-backoff doubled per failure up to max-backoff, then up to random-factor of it added as jitter, so that the
    // clients of a server that went away do not all come back in the same instant.
    internal static TimeSpan Wait(ReconnectSettings reconnect, int failures)
    {
        var doubled = reconnect.MinBackoff.Ticks * Math.Pow(2, Math.Min(failures, 62));
        var ticks = Math.Min(reconnect.MaxBackoff.Ticks, doubled) * (1 + (Random.Shared.NextDouble() * reconnect.RandomFactor));
        return ticks >= TimeSpan.MaxValue.Ticks ? reconnect.MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    private sealed record StartAttempt
    {
        public static StartAttempt Instance { get; } = new();
    }

    private sealed record AttemptLasted(int Attempt);
}
