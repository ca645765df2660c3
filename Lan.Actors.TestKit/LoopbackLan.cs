using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Security;
using Xunit.Sdk;

namespace Lan.Actors.TestKit;

/// <summary>
/// An isolated LAN for one spec, inside the spec's ActorSystem: servers, clients and peers on 127.0.0.1 with
/// ports of their own, discovering each other by broadcast to 127.255.255.255 on the spec's own UDP port.
/// The fault helpers break it the ways real networks break. Disposing it stops every node it started and
/// fails the spec when a node will not stop, a listening port stays taken, or (with <c>countSockets</c>)
/// the process keeps sockets it did not have before.
/// </summary>
/// <example><code>
/// await using var lan = new LoopbackLan(this);
/// await lan.StartServer("room", Props.Create&lt;ChatRoomHandler&gt;());
/// var alice = lan.StartProbeClient("room", "alice");
/// alice.ExpectIdentified();
/// </code></example>
public sealed class LoopbackLan : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PortFreeWithin = TimeSpan.FromSeconds(3);


    private readonly TestKitBase _kit;
    private readonly LanNodeSettings _base;
    private readonly HashSet<string>? _socketsBefore;
    private readonly Dictionary<IActorRef, ServerPlan> _servers = [];
    private readonly List<IActorRef> _clients = [];
    private int _nodes;

    /// <summary>Creates the LAN in <paramref name="kit"/>'s system, from its configuration.</summary>
    /// <param name="kit">The running spec.</param>
    /// <param name="countSockets">
    /// Also fail when the process has open sockets after teardown that it did not have before (Linux). Only for
    /// specs that run alone (a non-parallel xunit collection): other specs' sockets would be counted too.
    /// </param>
    public LoopbackLan(LanTestKit kit, bool countSockets = false)
    {
        ArgumentNullException.ThrowIfNull(kit);
        _kit = kit;
        _base = LanNodeSettings.FromConfig(kit.LanConfig);
        if (!IPAddress.IsLoopback(_base.Discovery.BroadcastAddress ?? IPAddress.Broadcast) && _base.Discovery.Enabled)
        {
            throw new InvalidOperationException(
                "LoopbackLan needs discovery on 127.255.255.255; the spec's configuration broadcasts elsewhere. Leave lan.discovery.broadcast-address to the test kit.");
        }

        _socketsBefore = countSockets && OperatingSystem.IsLinux() ? OpenSockets() : null;
    }

    private ActorSystem Sys => _kit.Sys;

    /// <summary>
    /// Starts a server node called <paramref name="name"/> on an ephemeral port, announcing itself by discovery,
    /// with <paramref name="handler"/> for its connections.
    /// </summary>
    public Task<LanServer> StartServer(string name, Props handler, HandlerMode mode = HandlerMode.Shared) =>
        StartServer(new ServerPlan(name, NewId(name), handler, mode, Port: 0, Actor: UniqueActorName(name)) { Identity = NewIdentity() });

    /// <summary>
    /// Starts a client node that connects by itself to the server called <paramref name="server"/> as soon as
    /// discovery finds it (the first server found when null), and again whenever it comes back.
    /// </summary>
    /// <param name="handler">The client's handler.</param>
    /// <param name="server">The server's node name, or null for the first one found.</param>
    /// <param name="name">The client's node name (what a server sees in its HELLO); client-N when null.</param>
    public LanClient StartClient(Props handler, string? server = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var nodeName = name ?? $"client-{_nodes + 1}";
        var settings = For(nodeName, NewId(nodeName), NewIdentity()) with { AutoConnect = new AutoConnect(true, server) };
        var client = LanNode.StartClient(Sys, settings, handler, UniqueActorName(nodeName));
        _clients.Add(client.Node);
        return client;
    }

    /// <summary>Starts a client node (as <see cref="StartClient"/>) whose handler is a new <see cref="PacketProbe"/>.</summary>
    public PacketProbe StartProbeClient(string? server = null, string? name = null)
    {
        var probe = new PacketProbe(_kit, name ?? $"client-{_nodes + 1}");
        probe.Client = StartClient(probe.HandlerProps, server, name);
        return probe;
    }

    /// <summary>Starts a peer node called <paramref name="name"/>: a server that also connects out when told <see cref="ConnectTo"/>.</summary>
    public async Task<LanPeer> StartPeer(string name, Props handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var settings = For(name, NewId(name), NewIdentity()) with { Tcp = _base.Tcp with { Port = 0 } };
        var peer = await LanNode.StartPeerAsync(Sys, settings, handler, UniqueActorName(name)).ConfigureAwait(false);
        _clients.Add(peer.Node);
        return peer;
    }

    /// <summary>
    /// The client vanishes: every connection of <paramref name="client"/> is reset without <c>DISCONNECT</c> and
    /// the node stops, as when its machine loses power; servers see <see cref="DisconnectReason.Dropped"/>.
    /// </summary>
    public Task DropClient(LanClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _clients.Remove(client.Node);
        return KillAndAwait(client.Node);
    }

    /// <summary>
    /// The server closes its connection to the peer called <paramref name="peerName"/> (<c>DISCONNECT</c>, then
    /// close): the client sees <see cref="DisconnectReason.ServerClosed"/>, the server's handler
    /// <see cref="DisconnectReason.Kicked"/>. Returns false when no such peer is connected.
    /// </summary>
    public async Task<bool> CloseFromServer(LanServer server, string peerName)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!_servers.ContainsKey(server.Node))
        {
            throw new InvalidOperationException($"{server.Node.Path} is not a running server of this LoopbackLan.");
        }

        var peers = await server.Node.Ask<Peers>(GetPeers.Instance, StopTimeout).ConfigureAwait(false);
        var found = peers.Connected.FirstOrDefault(stats => stats.Peer.Name == peerName);
        if (found is null)
        {
            return false;
        }

        server.Node.Tell(new Kick(found.Peer.Id, "closed by the server"));
        return true;
    }

    /// <summary>
    /// The server's process dies: no <c>SERVER_BYE</c>, no <c>DISCONNECT</c>, its sockets simply close. Clients
    /// see <see cref="DisconnectReason.ServerClosed"/> (or <see cref="DisconnectReason.Dropped"/> when the close
    /// became a reset, because bytes they sent were still unread), and discovery loses it only after <c>expire-after</c>.
    /// </summary>
    public Task KillServer(LanServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return KillAndAwait(server.Node);
    }

    /// <summary>
    /// Stops the server (killed, or cleanly when <paramref name="clean"/>) and starts it again with the same
    /// name, node id and port: discovery sees a new <c>INSTANCE</c>, and clients reconnect.
    /// </summary>
    public async Task<LanServer> RestartServer(LanServer server, bool clean = false)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!_servers.Remove(server.Node, out var plan))
        {
            throw new InvalidOperationException($"{server.Node.Path} was not started by this LoopbackLan (or was restarted already); restart the LanServer it returned last.");
        }

        if (clean)
        {
            await StopOrFail(server.Node, server.StopAsync).ConfigureAwait(false);
        }
        else
        {
            await KillAndAwait(server.Node).ConfigureAwait(false);
        }

        return await StartServer(plan with { Port = server.LocalEndPoint.Port, Actor = UniqueActorName(plan.Name) }).ConfigureAwait(false);
    }

    /// <summary>Stops every node still running and checks that nothing was left behind.</summary>
    /// <exception cref="XunitException">A node did not stop, a server's port is still taken, or sockets leaked.</exception>
    public async ValueTask DisposeAsync()
    {
        foreach (var (node, _) in _servers)
        {
            await StopOrFail(node, timeout => node.GracefulStop(timeout, StopNode.Instance)).ConfigureAwait(false);
        }

        foreach (var node in _clients)
        {
            await StopOrFail(node, timeout => node.GracefulStop(timeout, StopNode.Instance)).ConfigureAwait(false);
        }

        foreach (var plan in _servers.Values.Where(plan => plan.Port != 0))
        {
            await AssertPortFreeAsync(plan.Port).ConfigureAwait(false);
        }

        _servers.Clear();
        _clients.Clear();
        if (_socketsBefore is { } before)
        {
            await _kit.AwaitAssertAsync(() =>
            {
                var added = OpenSockets().Except(before).ToList();
                if (added.Count > 0)
                {
                    throw new XunitException(
                        $"sockets leaked: {before.Count} open before the LAN, {added.Count} more after its teardown: {string.Join(", ", added)}");
                }
            }, _kit.Dilated(TimeSpan.FromSeconds(3))).ConfigureAwait(false);
        }
    }

    private async Task<LanServer> StartServer(ServerPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan.Handler);
        var settings = For(plan.Name, plan.Id, plan.Identity) with { Tcp = _base.Tcp with { Port = plan.Port } };
        var server = await LanNode.StartServerAsync(Sys, settings, plan.Handler, new ServerOptions { Mode = plan.Mode, Name = plan.Actor }).ConfigureAwait(false);
        _servers[server.Node] = plan with { Port = server.LocalEndPoint.Port };
        return server;
    }

    private async Task KillAndAwait(IActorRef node)
    {
        _servers.Remove(node);
        var watcher = _kit.CreateTestProbe();
        watcher.Watch(node);
        node.Tell(KillNode.Instance);
        await watcher.ExpectTerminatedAsync(node, StopTimeout).ConfigureAwait(false);
    }

    private async Task StopOrFail(IActorRef node, Func<TimeSpan, Task> stop)
    {
        var stopped = stop(StopTimeout);
        if (Sys.Scheduler is TestScheduler virtualTime)
        {
            // Close time-outs run on the virtual clock: move it on until the node is gone, a second at a time,
            // for at most twice the close time-out (a connector between attempts is stopped after one and a bit).
            var most = (_base.Tcp.CloseTimeout * 2) + TimeSpan.FromSeconds(2);
            for (var second = 0; second < most.TotalSeconds && !stopped.IsCompleted; second++)
            {
                virtualTime.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAny(stopped, Task.Delay(TimeSpan.FromMilliseconds(20))).ConfigureAwait(false);
            }
        }

        try
        {
            await stopped.WaitAsync(StopTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TaskCanceledException or AskTimeoutException or TimeoutException)
        {
            throw new XunitException($"{node.Path} did not stop within {StopTimeout.TotalSeconds} s: an actor of the node or the handler keeps it alive");
        }
    }

    // A listener disposed with an accept pending is closed by the runtime once that accept is aborted, on its own
    // thread, a moment after the node has stopped: the port is tried again for up to PortFreeWithin before a leak is
    // called (a leaked listener never frees it). Polling: the OS offers nothing to wait on.
    private static async Task AssertPortFreeAsync(int port)
    {
        var deadline = DateTime.UtcNow + PortFreeWithin;
        while (true)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            // Address reuse lets the port's closed connections linger in TIME_WAIT; only a listener still bound fails.
            probe.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            try
            {
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new XunitException($"TCP port {port} is still bound {PortFreeWithin.TotalSeconds:0} s after the LAN stopped ({e.SocketErrorCode}): a listening socket leaked");
            }
        }
    }

    // Sockets only, as "fd -> socket:[inode]": the runtime maps assemblies, symbol files and pipes of its own
    // as a spec runs (a first stack trace loads System.Diagnostics.StackTrace), and those are not ours.
    private static HashSet<string> OpenSockets() =>
        [.. new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Select(fd => $"{fd.Name} -> {Target(fd)}")
            .Where(entry => entry.Contains("socket:", StringComparison.Ordinal))];

    private static string Target(FileSystemInfo fd)
    {
        try
        {
            return fd.LinkTarget ?? "?";
        }
        catch (IOException)
        {
            return "closed";
        }
    }

    private string UniqueActorName(string name) => $"{Uri.EscapeDataString(name)}-{++_nodes}";

    private static string NewId(string name) => $"{name}-{Guid.NewGuid():N}"[..Math.Min(name.Length + 9, 64)];

    // In TLS mode each node has a throw-away identity of its own, kept across a server's restarts (its ID is its key's).
    private NodeIdentity? NewIdentity() => _base.Security.Mode == SecurityMode.Tls ? NodeIdentity.CreateEphemeral() : null;

    // A node's settings: in TLS mode its ID is its identity's, and its trust store the spec's (or one of its own, empty).
    private LanNodeSettings For(string name, string id, NodeIdentity? identity) => identity is null
        ? _base with { Node = _base.Node with { Name = name, Id = id } }
        : _base with
        {
            Node = _base.Node with { Name = name, Id = identity.Id.ToString() },
            Security = _base.Security with { Identity = identity, TrustStore = _base.Security.TrustStore ?? TrustStore.InMemory() },
        };

    private sealed record ServerPlan(string Name, string Id, Props Handler, HandlerMode Mode, int Port, string Actor)
    {
        public NodeIdentity? Identity { get; init; }
    }
}
