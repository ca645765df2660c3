using System.Net;
using Akka;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Io;
using Lan.Actors.Security;
using Lan.Actors.Discovery.Registry;

namespace Lan.Actors.Nodes;

/// <summary>A running server node.</summary>
/// <param name="Node">The node actor: send it <c>SendToAll</c>, <c>SendTo</c>, <c>Multicast</c>, <c>Kick</c>, <c>GetPeers</c>.</param>
/// <param name="LocalEndPoint">Where it listens (the OS's port when <c>lan.tcp.port = 0</c>).</param>
public sealed record LanServer(IActorRef Node, IPEndPoint LocalEndPoint)
{
    /// <summary>The node id it says it is in discovery and the handshake (drawn for it when <c>lan.node.id</c> is empty).</summary>
    public string Id { get; init; } = "";

    /// <summary>Says DISCONNECT to every peer, waits for them to go (at most <c>lan.tcp.close-timeout</c>), and stops the node.</summary>
    public Task StopAsync(TimeSpan timeout) => Node.GracefulStop(timeout, StopNode.Instance);
}

/// <summary>A running client node.</summary>
/// <param name="Node">The node actor: send it <see cref="ConnectTo"/> and <see cref="DisconnectFrom"/>.</param>
public sealed record LanClient(IActorRef Node)
{
    /// <summary>The node id it says it is in the handshake (drawn for it when <c>lan.node.id</c> is empty).</summary>
    public string Id { get; init; } = "";

    /// <summary>Connects to <paramref name="server"/>, reconnecting with back-off whenever the link is lost.</summary>
    public void Connect(IPEndPoint server) => Node.Tell(new ConnectTo(server));

    /// <summary>Connects to <paramref name="server"/>, which in TLS mode must prove it is <paramref name="expected"/>, or the connection ends with <see cref="DisconnectReason.IdentityMismatch"/>.</summary>
    public void Connect(IPEndPoint server, NodeId expected) => Node.Tell(new ConnectTo(server) { Expected = expected });

    /// <summary>Closes every connection with DISCONNECT and stops the node.</summary>
    public Task StopAsync(TimeSpan timeout) => Node.GracefulStop(timeout, StopNode.Instance);
}

/// <summary>A running peer node: a server that also connects out to other peers, with one handler for both sides.</summary>
/// <param name="Node">The node actor: it takes the server commands and <see cref="ConnectTo"/> / <see cref="DisconnectFrom"/>.</param>
/// <param name="LocalEndPoint">Where it listens.</param>
public sealed record LanPeer(IActorRef Node, IPEndPoint LocalEndPoint)
{
    /// <summary>The node id it says it is in discovery and the handshake (drawn for it when <c>lan.node.id</c> is empty).</summary>
    public string Id { get; init; } = "";

    /// <summary>Connects to another peer at <paramref name="peer"/>, reconnecting with back-off whenever the link is lost.</summary>
    public void Connect(IPEndPoint peer) => Node.Tell(new ConnectTo(peer));

    /// <summary>Says DISCONNECT on every connection, inbound and outbound, and stops the node.</summary>
    public Task StopAsync(TimeSpan timeout) => Node.GracefulStop(timeout, StopNode.Instance);
}

/// <summary>Starts server, client and peer nodes in an Akka.NET <see cref="ActorSystem"/>.</summary>
/// <remarks>
/// A node's handler hears, for each connection and in this order: <see cref="Connected"/>; <see cref="Identified"/> once the
/// peer's HELLO (or the server's WELCOME) has arrived, never for an anonymous peer; <see cref="Received"/> per packet (or
/// <see cref="ReceivedBatch"/> per read with batch delivery), with <see cref="SendRefused"/> for any of its sends that was not
/// queued; and <see cref="Disconnected"/> exactly once. The handler of a client or peer may also hear
/// <see cref="ConnectAttemptFailed"/> for each outbound attempt that failed before a <see cref="Connected"/>.
/// </remarks>
public static class LanNode
{
    /// <summary>
    /// Starts a server node under <c>/user</c> (named by <see cref="ServerOptions.Name"/>): it listens on <c>lan.tcp</c>'s
    /// address and hands every connection to the handler made from <paramref name="handler"/>. The node says
    /// DISCONNECT to every peer when the system shuts down (Akka's CoordinatedShutdown).
    /// </summary>
    /// <param name="system">The actor system to start the node in.</param>
    /// <param name="settings">The node's settings, from <see cref="LanNodeSettings.FromConfig"/>.</param>
    /// <param name="handler">Props of the user's handler actor.</param>
    /// <param name="options">How the node serves its handler (mode, pull mode, batch delivery, name); <see cref="ServerOptions.Default"/> when null.</param>
    /// <exception cref="ListenerBindException">The listener could not bind; the message names the address, the cause and what to change.</exception>
    public static Task<LanServer> StartServerAsync(ActorSystem system, LanNodeSettings settings, Props handler, ServerOptions? options = null) =>
        StartListeningAsync(system, settings, handler, options ?? ServerOptions.Default, isPeer: false);

    /// <summary>
    /// Starts a peer node named <paramref name="name"/>: a server (as <see cref="StartServerAsync"/>) that also
    /// connects out to the peers it is told of, with one handler for both directions
    /// (<see cref="PeerInfo.Inbound"/> tells them apart).
    /// </summary>
    /// <exception cref="ListenerBindException">The listener could not bind; the message names the address, the cause and what to change.</exception>
    public static async Task<LanPeer> StartPeerAsync(ActorSystem system, LanNodeSettings settings, Props handler, string name = "lan-peer")
    {
        var server = await StartListeningAsync(system, settings, handler, new ServerOptions { Name = name }, isPeer: true).ConfigureAwait(false);
        return new LanPeer(server.Node, server.LocalEndPoint) { Id = server.Id };
    }

    /// <summary>
    /// Starts a registry named <paramref name="name"/>: a server node on <c>lan.tcp</c>'s address that keeps the
    /// list of nodes configured with <c>lan.discovery.registry</c> and pushes it to each of them (see docs/PROTOCOL.md).
    /// It serves nodes of its own <c>lan.node.app</c>; it takes part in no discovery itself.
    /// </summary>
    /// <exception cref="ListenerBindException">The listener could not bind; the message names the address, the cause and what to change.</exception>
    public static Task<LanServer> StartRegistryAsync(ActorSystem system, LanNodeSettings settings, string name = "lan-registry")
    {
        ArgumentNullException.ThrowIfNull(settings);
        var alone = settings with { Discovery = settings.Discovery with { Enabled = false, Registry = null } };
        return StartListeningAsync(system, alone, RegistryActor.Create(settings.Discovery.ExpireAfter, settings.Protocol, settings.Discovery.MaxServers), new ServerOptions { Name = name }, isPeer: false);
    }

    private static readonly TimeSpan BindWait = TimeSpan.FromSeconds(30);

    private static async Task<LanServer> StartListeningAsync(ActorSystem system, LanNodeSettings settings, Props handler, ServerOptions options, bool isPeer)
    {
        var name = options.Name;
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(handler);
        // Two nodes started from one settings object are still two nodes: each gets an id of its own (unless configured).
        settings = settings.ForOneNode();
        WarnIfOpen(system, name, settings);
        var started = new TaskCompletionSource<Bound>(TaskCreationOptions.RunContinuationsAsynchronously);
        var node = system.ActorOf(ServerNode.Create(settings, handler, options, isPeer, started), name);
        Bound bound;
        try
        {
            // A bind answers at once, either way; the wait is long only for a machine so loaded that the actors
            // start late (seen under full test runs: connect-timeout, the wait before, was not enough).
            bound = await started.Task.WaitAsync(BindWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            system.Stop(node);
            throw new InvalidOperationException(
                $"the listener on {settings.Tcp.BindHost}:{settings.Tcp.Port} did not report within {BindWait.TotalSeconds:0} s; the machine may be overloaded, try again");
        }

        var server = new LanServer(node, bound.LocalEndPoint) { Id = settings.Node.Id };
        StopOnShutdown(system, name, server.StopAsync, settings.Tcp.CloseTimeout);
        return server;
    }

    /// <summary>Starts a client node named <paramref name="name"/> under <c>/user</c>, whose connections all go to the handler made from <paramref name="handler"/>.</summary>
    public static LanClient StartClient(ActorSystem system, LanNodeSettings settings, Props handler, string name = "lan-client")
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(handler);
        var own = settings.ForOneNode();
        WarnIfOpen(system, name, own);
        var client = new LanClient(system.ActorOf(ClientNode.Create(own, handler), name)) { Id = own.Node.Id };
        StopOnShutdown(system, name, client.StopAsync, settings.Tcp.CloseTimeout);
        return client;
    }

    // The systems that said it already (open mode, or trust = any): once per system is enough for a demo of eleven nodes.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ActorSystem, object> WarnedOpen = [];

    // Said at start, as the seeds' plaintext, or TLS that authenticates nobody, is a choice a user should not make without knowing it.
    private static void WarnIfOpen(ActorSystem system, string name, LanNodeSettings settings)
    {
        if (settings.Security.Mode == SecurityMode.Open && WarnedOpen.TryAdd(system, name))
        {
            system.Log.Warning(
                "{0}: lan.security.mode = open: connections are plaintext and unauthenticated and discovery is unsigned; anyone on this network can read them and pretend to be any node",
                name);
        }
        else if (settings.Security is { Mode: SecurityMode.Tls, Trust: TrustPolicy.Any } && WarnedOpen.TryAdd(system, name))
        {
            system.Log.Warning(
                "{0}: lan.security.trust = any: connections are encrypted but any node is taken for who it says it is; use tofu or pinned to know whom you talk to",
                name);
        }
    }

    private static void StopOnShutdown(ActorSystem system, string name, Func<TimeSpan, Task> stop, TimeSpan closeTimeout)
    {
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, $"lan-node-{name}", async () =>
        {
            try
            {
                await stop(closeTimeout + TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TaskCanceledException or AskTimeoutException)
            {
                // Already stopped, or a peer would not let go: the system's own stop takes it from here.
            }

            return Done.Instance;
        });
    }
}
