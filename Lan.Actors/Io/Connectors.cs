using System.Net;
using Akka.Actor;
using Lan.Actors.Protocol;
using Lan.Actors.Security;

namespace Lan.Actors.Io;

/// <summary>
/// The outbound connections of a client or peer node, one <see cref="ConnectorActor"/> per server: when the
/// connection fails (the server closed it, dropped, went silent, or could not be reached) a new one is started after
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
        var connector = context.ActorOf(ConnectorActor.Create(ConnectionActor.Outbound(server, setup), tcp.Reconnect), $"connector-{++_created}");
        context.Watch(connector);
        _connectors[server] = connector;
    }

    public void Disconnect(IPEndPoint server)
    {
        if (!_connectors.TryGetValue(server, out var connector))
        {
            return;
        }

        // The connector hands Close to its connection, which says DISCONNECT and stops; the connector follows (at
        // once when it is between two attempts). One whose connection does not stop in time is stopped outright.
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
