using System.Net;
using Akka.Actor;
using Akka.Pattern;
using Lan.Actors.Protocol;
using Lan.Actors.Security;

namespace Lan.Actors.Io;

/// <summary>
/// The outbound connections of a client or peer node, one connector per server. A connector is Akka's
/// <see cref="BackoffSupervisor"/> over an outbound <see cref="ConnectionActor"/>: when the connection
/// fails (the server closed it, dropped, went silent, or could not be reached) a new one is started after
/// an exponential back-off with jitter from <c>lan.tcp.reconnect</c>; when it ends by choice, the connector stops.
/// The owning actor passes its context and timers and forwards <see cref="Terminated"/> and <see cref="ForceStop"/> here.
/// </summary>
internal sealed class Connectors(IActorContext context, ITimerScheduler timers, LanTcpSettings tcp, ProtocolSettings protocol, NodeSettings node, ConnectionSecurity? security)
{
    private readonly Dictionary<IPEndPoint, IActorRef> _connectors = [];
    private int _created;

    public int Count => _connectors.Count;

    /// <summary>Connects to <paramref name="server"/>, which under TLS must prove <paramref name="expected"/> when that is known.</summary>
    public void Connect(IPEndPoint server, IActorRef handler, NodeId? expected = null)
    {
        if (_connectors.ContainsKey(server))
        {
            return;
        }

        var setup = new ConnectionSetup(handler, tcp, protocol, node, PullMode: false) { Security = security, ExpectedPeer = expected };
        var connector = context.ActorOf(ConnectorProps(ConnectionActor.Outbound(server, setup), tcp.Reconnect), $"connector-{++_created}");
        context.Watch(connector);
        _connectors[server] = connector;
    }

    /// <summary>One server's connector: <paramref name="connection"/>, replaced after a back-off when it fails.</summary>
    internal static Props ConnectorProps(Props connection, ReconnectSettings reconnect) =>
        BackoffSupervisor.Props(Backoff.OnFailure(connection, "connection", reconnect.MinBackoff, reconnect.MaxBackoff, reconnect.RandomFactor, -1)
            // A connection that failed (server closed, dropped, silent, unreachable) is replaced after the back-off;
            // one that broke the protocol or ended by choice is not.
            .WithSupervisorStrategy(new OneForOneStrategy(error => error is ConnectionFailedException ? Directive.Restart : Directive.Stop))
            // A Close that finds the connector between two attempts stops it there, instead of going to dead letters
            // and letting the next attempt connect only to be cut off without DISCONNECT.
            .WithFinalStopMessage(message => message is Close));

    public void Disconnect(IPEndPoint server)
    {
        if (!_connectors.TryGetValue(server, out var connector))
        {
            return;
        }

        // The connector hands Close to its connection, which says DISCONNECT and stops; the connector follows.
        // While it is between two attempts there is no connection to tell, so it is stopped outright later.
        connector.Tell(new Close("the client disconnected"));
        timers.StartSingleTimer(connector, new ForceStop(connector), tcp.CloseTimeout + TimeSpan.FromSeconds(1));
    }

    /// <summary>Resets every connection (no DISCONNECT) and stops its connector, as a crashing client would.</summary>
    public void AbortAll()
    {
        foreach (var connector in _connectors.Values)
        {
            connector.Tell(Abort.Instance);
            timers.StartSingleTimer(connector, new ForceStop(connector), tcp.CloseTimeout + TimeSpan.FromSeconds(1));
        }
    }

    public void DisconnectAll()
    {
        foreach (var server in _connectors.Keys.ToList())
        {
            Disconnect(server);
        }
    }

    /// <summary>Forgets a connector that has stopped; false when <paramref name="actor"/> was none of them.</summary>
    public bool Terminated(IActorRef actor)
    {
        foreach (var (server, connector) in _connectors)
        {
            if (connector.Equals(actor))
            {
                _connectors.Remove(server);
                timers.Cancel(connector);
                return true;
            }
        }

        return false;
    }
}

/// <summary>A connector that did not stop after its Close is stopped outright.</summary>
internal sealed record ForceStop(IActorRef Connector);
