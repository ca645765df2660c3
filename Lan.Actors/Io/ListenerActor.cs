using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;

namespace Lan.Actors.Io;

/// <summary>
/// Owns the listening socket: binds <c>lan.tcp.bind-host</c>:<c>lan.tcp.port</c>, accepts, and starts one
/// <see cref="ConnectionActor"/> child per accepted socket. A failing connection is stopped, never
/// restarted, and nothing else is touched. Also routes the server commands to its connections.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "An actor's resources are released in PostStop, which Akka always runs; actors are not disposed.")]
internal sealed class ListenerActor : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ConnectionSetup _setup;
    private readonly Props? _perConnectionHandler;
    private readonly Dictionary<IActorRef, Peer> _connections = [];
    // Open connections per remote address, so that no single host can take every place (lan.tcp.max-connections-per-address).
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Dictionary<string, IActorRef> _byId = new(StringComparer.Ordinal);
    // Each per-connection handler, and the connection it serves.
    private readonly Dictionary<IActorRef, IActorRef> _handlers = [];
    private readonly HandlerSettings _handlerSettings;
    private Socket? _socket;
    private int _accepted;
    private TimeSpan _acceptBackoff = TimeSpan.Zero;
    private bool _closingAll;
    private long _refused;

    /// <param name="setup">What each connection starts with; its handler serves every connection unless a per-connection one is given.</param>
    /// <param name="perConnectionHandler">When set, each connection gets its own handler from these props, stopped with it.</param>
    /// <param name="handlerSettings">How far a per-connection handler that throws is restarted before its connection closes.</param>
    public ListenerActor(ConnectionSetup setup, Props? perConnectionHandler, HandlerSettings handlerSettings)
    {
        _setup = setup;
        _handlerSettings = handlerSettings;
        _perConnectionHandler = perConnectionHandler;
        Receive<SocketAccepted>(accepted =>
        {
            if (_closingAll)
            {
                accepted.Socket.Dispose();
                return;
            }

            OnAccepted(accepted.Socket);
        });
        Receive<AcceptFailed>(OnAcceptFailed);
        Receive<RetryAccept>(_ => StartAccepting());
        Receive<PeerIdentified>(OnPeerIdentified);
        Receive<Terminated>(OnTerminated);
        Receive<SendToAll>(OnSendToAll);
        Receive<SendTo>(send => ToPeer(send.PeerId, new Send(send.Packet)));
        Receive<Multicast>(multicast =>
        {
            var send = new Send(multicast.Packet);
            foreach (var id in multicast.PeerIds)
            {
                ToPeer(id, send);
            }
        });
        Receive<Kick>(kick => ToPeer(kick.PeerId, new CloseAs(DisconnectReason.Kicked, kick.Reason)));
        Receive<GetPeers>(_ => CollectPeers().PipeTo(Sender));
        Receive<CloseAll>(close =>
        {
            _closingAll = true;
            // No new connection is accepted while the old ones say goodbye.
            _socket?.Dispose();
            foreach (var connection in _connections.Keys)
            {
                connection.Tell(new CloseAs(close.Reason, close.Detail));
            }

            ReportIfAllClosed();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Create(ConnectionSetup setup, Props? perConnectionHandler = null, HandlerSettings? handlerSettings = null) =>
        Props.Create(() => new ListenerActor(setup, perConnectionHandler, handlerSettings ?? HandlerSettings.Default));

    // A connection that fails is stopped: its socket cannot come back. Its PostStop logs the reason at info,
    // so the strategy's own error log would only repeat an expected event. A per-connection handler that throws
    // is restarted, loudly, up to its budget; past it, it stops and its connection closes (OnTerminated).
    protected override SupervisorStrategy SupervisorStrategy() =>
        new HandlerSupervision(_handlerSettings, _handlers.ContainsKey, _ => Directive.Stop, logOthers: false);

    protected override void PreStart()
    {
        var tcp = _setup.Tcp;
        try
        {
            var address = IPAddress.TryParse(tcp.BindHost, out var parsed) ? parsed : Dns.GetHostAddresses(tcp.BindHost)[0];
            _socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            _socket.Bind(new IPEndPoint(address, tcp.Port));
            _socket.Listen(tcp.Backlog);
        }
        catch (Exception e) when (e is SocketException or IndexOutOfRangeException)
        {
            var error = (e as SocketException)?.SocketErrorCode;
            var reason = error == SocketError.AddressAlreadyInUse
                ? $"port {tcp.Port} is in use on {tcp.BindHost} (lan.tcp.port): choose another port, or 0 for any free one"
                : $"cannot listen on {tcp.BindHost}:{tcp.Port} (lan.tcp.bind-host, lan.tcp.port): {e.Message}";
            // Whoever started the node gets the reason as an exception and says it once; the log is for -vv.
            _log.Debug(reason);
            Context.Parent.Tell(new BindFailed(new ListenerBindException(tcp.BindHost, tcp.Port, error, reason)));
            Context.Stop(Self);
            return;
        }

        var local = (IPEndPoint)_socket.LocalEndPoint!;
        _log.Info("listening on {EndPoint}", local);
        Context.Parent.Tell(new Bound(local));
        StartAccepting();
    }

    protected override void PostStop()
    {
        // Unbind: the port is free for the next listener as soon as this one is gone.
        _socket?.Dispose();
    }

    private void StartAccepting() => _ = AcceptLoopAsync(_socket!, Self);

    private static async Task AcceptLoopAsync(Socket listening, IActorRef self)
    {
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await listening.AcceptAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.OperationAborted)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of file descriptors, for one: the actor backs off and starts a new loop.
                self.Tell(new AcceptFailed(e), ActorRefs.NoSender);
                return;
            }

            self.Tell(new SocketAccepted(accepted), ActorRefs.NoSender);
        }
    }

    private void OnAccepted(Socket socket)
    {
        _acceptBackoff = TimeSpan.Zero;
        var address = RemoteAddress(socket);
        var fromAddress = address is null ? 0 : _perAddress.GetValueOrDefault(address);
        if (_connections.Count >= _setup.Tcp.MaxConnections || fromAddress >= _setup.Tcp.MaxConnectionsPerAddress)
        {
            Refuse(socket, address, fromAddress);
            return;
        }

        var number = ++_accepted;
        IActorRef? ownHandler = null;
        var setup = _setup;
        if (_perConnectionHandler is not null)
        {
            ownHandler = Context.ActorOf(_perConnectionHandler, $"handler-{number}");
            setup = setup with { Handler = ownHandler };
        }

        var connection = Context.ActorOf(ConnectionActor.Inbound(socket, setup, $"anon-{number}"), $"conn-{number}");
        Context.Watch(connection);
        if (ownHandler is not null)
        {
            Context.Watch(ownHandler);
            _handlers[ownHandler] = connection;
        }

        _connections[connection] = new Peer($"anon-{number}", ownHandler, address);
        if (address is not null)
        {
            _perAddress[address] = fromAddress + 1;
        }

        _byId[$"anon-{number}"] = connection;
    }

    private void OnAcceptFailed(AcceptFailed failed)
    {
        // Stryker disable once all : back-off timing, reached only when accept fails (out of descriptors), which no spec causes
        _acceptBackoff = _acceptBackoff == TimeSpan.Zero
            ? TimeSpan.FromMilliseconds(100)
            : TimeSpan.FromTicks(Math.Min(_acceptBackoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        _log.Warning("accepting failed ({Error}); trying again in {Backoff}", failed.Error.Message, _acceptBackoff);
        Timers.StartSingleTimer("retry-accept", RetryAccept.Instance, _acceptBackoff);
    }

    private void OnPeerIdentified(PeerIdentified identified)
    {
        if (_connections.TryGetValue(Sender, out var peer))
        {
            _byId.Remove(peer.Id);
            _connections[Sender] = peer with { Id = identified.Peer.Id };
            _byId[identified.Peer.Id] = Sender;
        }
    }

    private void OnTerminated(Terminated terminated)
    {
        if (_handlers.Remove(terminated.ActorRef, out var served))
        {
            // A handler stops after its connection has ended (below), or on its own: past its restart budget, or it
            // stopped itself. Either way nobody would hear that connection any more: it closes.
            if (_connections.ContainsKey(served))
            {
                served.Tell(new CloseAs(DisconnectReason.HandlerFailed, "the connection's handler stopped"));
            }

            return;
        }

        if (_connections.Remove(terminated.ActorRef, out var peer))
        {
            if (peer.Address is { } address && _perAddress.TryGetValue(address, out var open))
            {
                if (open <= 1)
                {
                    _perAddress.Remove(address);
                }
                else
                {
                    _perAddress[address] = open - 1;
                }
            }

            if (_byId.TryGetValue(peer.Id, out var byId) && byId.Equals(terminated.ActorRef))
            {
                _byId.Remove(peer.Id);
            }

            // A PoisonPill queues behind the Disconnected the connection told the handler as it stopped.
            peer.OwnHandler?.Tell(PoisonPill.Instance);
            ReportIfAllClosed();
        }
    }

    private void ReportIfAllClosed()
    {
        if (_closingAll && _connections.Count == 0)
        {
            Context.Parent.Tell(AllClosed.Instance);
        }
    }

    private void OnSendToAll(SendToAll broadcast)
    {
        var send = new Send(broadcast.Packet);
        foreach (var connection in _connections.Keys)
        {
            if (!connection.Equals(broadcast.Except))
            {
                connection.Tell(send, Sender);
            }
        }
    }

    private void ToPeer(string id, object command)
    {
        if (_byId.TryGetValue(id, out var connection))
        {
            connection.Tell(command, Sender);
        }
        else
        {
            _log.Warning("no connected peer with id {PeerId}; {Command} dropped", id, command.GetType().Name);
        }
    }

    private async Task<Peers> CollectPeers()
    {
        var asks = _connections.Keys.Select(AskStats).ToArray();
        var refused = _refused;
        // Stryker disable once Boolean : equivalent: the continuation has no context to return to either way
        var stats = await Task.WhenAll(asks).ConfigureAwait(false);
        return new Peers([.. stats.OfType<PeerStats>().OrderBy(peer => peer.ConnectedAt)]) { RefusedConnections = refused };
    }

    private static async Task<PeerStats?> AskStats(IActorRef connection)
    {
        try
        {
            // Stryker disable once Boolean : equivalent: the continuation has no context to return to either way
            return await connection.Ask<PeerStats>(GetPeerStats.Instance, TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            // The connection ended while the question was on its way.
            return null;
        }
    }

    /// <summary>
    /// Closes a connection past a limit at once, with a reset: it costs an accept and a close, and never a connection
    /// actor. Logged at the 1st, 10th, 100th… refusal, so a flood of them cannot flood the log too.
    /// </summary>
    private void Refuse(Socket socket, IPAddress? address, int fromAddress)
    {
        var refused = ++_refused;
        if (DecadeLog.IsLogged(refused))
        {
            var (limit, count) = fromAddress >= _setup.Tcp.MaxConnectionsPerAddress
                ? ("lan.tcp.max-connections-per-address", fromAddress)
                : ("lan.tcp.max-connections", _connections.Count);
            _log.Warning("refused a connection from {Address}: {Count} connections open ({Limit}); {Refused} refused so far", address, count, limit, refused);
        }

        socket.LingerState = new LingerOption(true, 0);
        socket.Dispose();
    }

    // IPv4 peers of a dual-stack listener arrive as ::ffff:a.b.c.d; one host is one key either way.
    private static IPAddress? RemoteAddress(Socket socket) =>
        socket.RemoteEndPoint is IPEndPoint { Address: var address } ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address) : null;

    private sealed record Peer(string Id, IActorRef? OwnHandler, IPAddress? Address);

    private sealed record SocketAccepted(Socket Socket) : IDeadLetterSuppression;

    private sealed record AcceptFailed(SocketException Error);

    private sealed record RetryAccept
    {
        public static RetryAccept Instance { get; } = new();
    }
}
