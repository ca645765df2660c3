using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Protocol;
using Lan.Actors.Discovery.Registry;
using Lan.Actors.Io;
using Lan.Actors.Security;
using Lan.Actors.Metrics;

namespace Lan.Actors.Discovery;

/// <summary>What a node's discovery does: announce a server, look for servers, or both (a peer).</summary>
[Flags]
internal enum DiscoveryRole
{
    /// <summary>Announces SERVER_HELLO, answers CLIENT_HELLO, says SERVER_BYE on a clean stop.</summary>
    Server = 1,

    /// <summary>Asks with CLIENT_HELLO, keeps the table of servers, publishes ServerFound / ServerUpdated / ServerLost.</summary>
    Client = 2,

    /// <summary>Both.</summary>
    Peer = Server | Client,
}

/// <summary>
/// Owns the UDP sockets of discovery. The well-known port is bound with address reuse, so every node on a
/// host hears every broadcast; each node also has a socket of its own on an ephemeral port, from which it
/// sends, and to which unicast replies come (a unicast datagram to a shared port reaches only one of the
/// sockets bound to it). A socket failure is thrown, so a back-off supervisor starts a fresh actor.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "An actor's resources are released in PostStop, which Akka always runs; actors are not disposed.")]
internal sealed partial class DiscoveryActor : ReceiveActor, IWithTimers
{
    private const string AnnounceTimer = "announce";
    private const string ExpiryTimer = "expiry";
    private const int MaxTrackedSources = 4096;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly DiscoverySettings _settings;
    private readonly NodeSettings _node;
    private readonly DiscoveryRole _role;
    private readonly int _tcpPort;
    private readonly string _instance;
    private readonly IActorRef? _owner;
    // The connections' settings for the registry link; null when lan.discovery.registry is not set.
    private readonly LanTcpSettings? _registryTcp;
    private readonly ProtocolSettings _protocol;
    private IActorRef? _link;
    private readonly LanClock _clock = LanClock.For(Context.System);
    private readonly DatagramCodec _codec;
    private readonly Dictionary<string, Known> _servers = new(StringComparer.Ordinal);
    // Keyed by address: a sender can pick any source port, and one bucket per port would let it around the limit.
    private readonly Dictionary<IPAddress, TokenBucket> _perSource = [];
    private readonly TokenBucket _allSources;
    private IReadOnlyDictionary<string, string> _meta;
    private Socket? _shared;
    private Socket? _own;
    private long _datagramsIn;
    private long _bytesIn;
    private long _malformed;
    private long _ignored;
    private long _datagramsOut;
    private long _bytesOut;
    private long _repliesLimited;
    private long _serversRefused;
    private long _unsigned;
    private long _forged;
    private long _replayed;
    private long _lastSignedAt;
    // TLS mode: this node signs what it announces and takes only announcements signed by their ID's key.
    private readonly DiscoverySecurity? _security;
    private readonly AnnouncementVerifier? _verifier;
    // No SERVER_BYE is to be sent (any more): said already, or withheld as a crashed process would (FallSilent).
    private bool _silent;
    private bool _leaving;
    private IPEndPoint[] _broadcastTo = [];
    // The instances that said SERVER_BYE lately, oldest first, so a registry list does not bring them back.
    private readonly Queue<string> _byeOrder = new();
    private readonly HashSet<string> _byeInstances = new(StringComparer.Ordinal);
    // Sweep mode: the clients that swept this server lately (its SERVER_BYE goes to them), and a client's round.
    private readonly HashSet<IPEndPoint> _recentSweepers = [];
    private IReadOnlyList<IPAddress> _sweepTargets = [];
    private ReadOnlyMemory<byte> _sweepHello;
    private int _nextPort;

    public DiscoveryActor(
        DiscoverySettings settings, ProtocolSettings protocol, NodeSettings node, DiscoveryRole role, int tcpPort, IReadOnlyDictionary<string, string> meta, IActorRef? owner, LanTcpSettings? registryTcp,
        DiscoverySecurity? security)
    {
        _security = security;
        _verifier = security is null ? null : new AnnouncementVerifier(security.ReplayWindow, settings.MaxServers);
        _owner = owner;
        _protocol = protocol;
        _registryTcp = settings.Registry is null ? null : registryTcp;
        _settings = settings;
        _node = node;
        _role = role;
        _tcpPort = tcpPort;
        _meta = meta;
        _instance = Guid.NewGuid().ToString("N");
        _codec = new DatagramCodec(protocol);
        _allSources = new TokenBucket(settings.RepliesTotal, settings.RepliesTotal, _clock.Now);
        Receive<DatagramReceived>(OnDatagram);
        Receive<ReceiveFailed>(failed => throw new SocketException((int)failed.Error.SocketErrorCode));
        Receive<Announce>(_ => AnnounceNow());
        Receive<Expire>(_ => ExpireSilentServers());
        Receive<SweepNext>(_ => SweepSomePorts());
        Receive<SetMeta>(set =>
        {
            _meta = set.Meta;
            AnnounceNow();
            if (IsServer)
            {
                _link?.Tell(new Reregister(Registration()));
            }
        });
        Receive<RegistryListed>(OnRegistryListed);
        Receive<FallSilent>(_ =>
        {
            _silent = true;
            Sender.Tell(FellSilent.Instance);
        });
        Receive<LeaveNetwork>(leave =>
        {
            // Gone from the network from now on: no more announcements, sweeps or answers after the goodbye, though
            // the actor lives until the node has closed its connections.
            Timers.Cancel(AnnounceTimer);
            Timers.Cancel(SweepTimer);
            _leaving = true;
            SayBye();
            if (_link is null)
            {
                Sender.Tell(LeftNetwork.Instance);
            }
            else
            {
                // The link answers the node itself once its connection to the registry has closed.
                _link.Forward(leave);
            }
        });
        Receive<GetDiscoveryStats>(_ => Sender.Tell(new DiscoveryStats(_datagramsIn, _bytesIn, _malformed, _ignored, _datagramsOut, _bytesOut, _repliesLimited)
        {
            ServersRefused = _serversRefused,
            Unsigned = _unsigned,
            Forged = _forged,
            Replayed = _replayed,
        }));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    // owner: the node told each ServerFound / ServerUpdated / ServerLost besides the event stream, so that of
    // several nodes in one system each acts on what its own discovery heard; null for none.
    // registryTcp: the node's TCP settings, for the RegistryLinkActor discovery starts when lan.discovery.registry is set.
    public static Props Create(
        DiscoverySettings settings, ProtocolSettings protocol, NodeSettings node, DiscoveryRole role, int tcpPort, IReadOnlyDictionary<string, string>? meta = null,
        IActorRef? owner = null, LanTcpSettings? registryTcp = null, DiscoverySecurity? security = null) =>
        Props.Create(() => new DiscoveryActor(settings, protocol, node, role, tcpPort, meta ?? new Dictionary<string, string>(), owner, registryTcp, security));

    private bool IsServer => _role.HasFlag(DiscoveryRole.Server);

    private bool IsClient => _role.HasFlag(DiscoveryRole.Client);

    private bool IsSweep => _settings.Mode == DiscoveryMode.Sweep;

    protected override void PreStart()
    {
        if (_registryTcp is not null)
        {
            _link = Context.ActorOf(RegistryLinkActor.Create(_settings, _registryTcp, _protocol, _node, IsServer ? Registration() : null, _security?.Connection), "registry");
        }

        if (IsClient)
        {
            var expiry = ExpireAfter;
            Timers.StartPeriodicTimer(ExpiryTimer, Expire.Instance, TimeSpan.FromTicks(Math.Max(expiry.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks)));
        }

        // lan.discovery.enabled = off with a registry: the registry is the only source, and no UDP socket is opened.
        if (_settings.Enabled)
        {
            StartUdp();
        }
    }

    private void StartUdp()
    {
        var targets = BroadcastTargets.ForThisHost(_settings);
        _broadcastTo = [.. targets.Select(address => new IPEndPoint(address, _settings.Port))];
        // The own socket stays on loopback when the node does, so nothing it sends can leave the host.
        var ownAddress = IPAddress.IsLoopback(_settings.BindAddress) || IsLoopbackBroadcast(_settings.BindAddress) ? IPAddress.Loopback : IPAddress.Any;
        _own = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
        _own.Bind(new IPEndPoint(ownAddress, 0));
        if (IsSweep)
        {
            StartSweepMode(targets);
        }
        else
        {
            _shared = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _shared.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _shared.Bind(new IPEndPoint(_settings.BindAddress, _settings.Port));
            if (!BroadcastTargets.HearsBroadcasts(_settings.BindAddress))
            {
                _log.Warning(
                    "lan.discovery.bind-address = {BindAddress} is not a broadcast address: a socket bound to it hears no broadcast, so this node hears no "
                    + "CLIENT_HELLO or SERVER_HELLO sent by broadcast. Use 0.0.0.0 (every interface) or a broadcast address such as 127.255.255.255 (this host only)",
                    _settings.BindAddress);
            }
        }

        if (_shared is not null)
        {
            _ = ReceiveLoopAsync(_shared, Self);
        }

        _ = ReceiveLoopAsync(_own, Self);
        _log.Debug("discovery ({Mode}) on UDP {Shared} (own {Own}), broadcasting to {Broadcast}",
            _settings.Mode, _shared?.LocalEndPoint, _own.LocalEndPoint, string.Join(", ", targets));

        if (!IsSweep)
        {
            if (IsServer)
            {
                AnnounceNow();
            }

            if (IsClient)
            {
                Ask();
            }

            Timers.StartPeriodicTimer(AnnounceTimer, Announce.Instance, _settings.AnnounceInterval);
        }
    }

    protected override void PostStop()
    {
        // The table goes with the actor (a restarted discovery starts empty): its servers are no longer known here.
        LanMetrics.ServersKnown.Add(-_servers.Count);
        SayBye();
        _shared?.Dispose();
        _own?.Dispose();
    }

    // A clean stop says goodbye, once, so clients forget this server at once instead of waiting for it to expire.
    // In sweep mode no port is shared: the goodbye goes to the clients that swept this server lately.
    private void SayBye()
    {
        if (!IsServer || _own is null || _silent)
        {
            return;
        }

        _silent = true;
        var bye = Packet.From(_security is null ? new ServerBye(_node.Id) : AnnouncementSignature.Sign(new ServerBye(_node.Id), _security.Identity, NextSignedTime()));
        if (IsSweep)
        {
            foreach (var sweeper in _recentSweepers)
            {
                TrySend(bye, sweeper);
            }
        }
        else
        {
            BroadcastPacket(bye);
        }
    }

    private static bool IsLoopbackBroadcast(IPAddress address) => address.GetAddressBytes()[0] == 127;

    private static async Task ReceiveLoopAsync(Socket socket, IActorRef self)
    {
        var buffer = new byte[ProtocolSettings.MaxUdpPayload + 1];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                // An ICMP "port unreachable" for an earlier send; nothing is wrong with this socket.
                continue;
            }
            catch (SocketException e)
            {
                self.Tell(new ReceiveFailed(e), ActorRefs.NoSender);
                return;
            }

            self.Tell(new DatagramReceived(buffer.AsSpan(0, result.ReceivedBytes).ToArray(), (IPEndPoint)result.RemoteEndPoint), ActorRefs.NoSender);
        }
    }

    private void BroadcastPacket(Packet packet)
    {
        foreach (var target in _broadcastTo)
        {
            TrySend(packet, target);
        }
    }

    private void TrySend(Packet packet, IPEndPoint to)
    {
        var bytes = _codec.Encode(packet);
        try
        {
            _own!.SendTo(bytes.Span, SocketFlags.None, to);
            _datagramsOut++;
            _bytesOut += bytes.Length;
        }
        catch (SocketException e)
        {
            // One lost datagram is what UDP is: the next announcement or hello tries again.
            _log.Debug("could not send {Type} to {To}: {Error}", packet.Type, to, e.Message);
        }
    }

    private sealed record DatagramReceived(byte[] Bytes, IPEndPoint From) : IDeadLetterSuppression;

    private sealed record ReceiveFailed(SocketException Error) : IDeadLetterSuppression;

    private sealed record Announce
    {
        public static Announce Instance { get; } = new();
    }

    private sealed record Expire
    {
        public static Expire Instance { get; } = new();
    }

    // Heard: broadcast (or sweep) has heard it within expire-after, LastHeard being when; Listed: the registry lists it.
    private sealed record Known(ServerInfo Server, long LastHeard, bool Heard, bool Listed);
}
