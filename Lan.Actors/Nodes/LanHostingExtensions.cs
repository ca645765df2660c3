using Akka.Actor;
using Akka.Hosting;
using Lan.Actors.Hocon;

namespace Lan.Actors.Nodes;

/// <summary>The key under which a LAN server node sits in Akka.Hosting's <see cref="ActorRegistry"/>.</summary>
public sealed class LanServerNode;

/// <summary>The key under which a LAN client node sits in Akka.Hosting's <see cref="ActorRegistry"/>.</summary>
public sealed class LanClientNode;

/// <summary>The key under which a LAN peer node sits in Akka.Hosting's <see cref="ActorRegistry"/>.</summary>
public sealed class LanPeerNode;

/// <summary>The key under which a LAN registry sits in Akka.Hosting's <see cref="ActorRegistry"/>.</summary>
public sealed class LanRegistryNode;

/// <summary>Adds LAN nodes to an ActorSystem that Akka.Hosting builds, in Akka.Hosting's own style.</summary>
public static class LanHostingExtensions
{
    /// <summary>
    /// Starts a server node with the ActorSystem: <c>services.AddAkka("game", b => b.AddLanServer(config, Props.Create&lt;Lobby&gt;()))</c>.
    /// The <c>akka</c> part of <paramref name="config"/> goes in front of the builder's HOCON; the node is in the
    /// <see cref="ActorRegistry"/> under <see cref="LanServerNode"/> once it listens.
    /// </summary>
    /// <param name="builder">Akka.Hosting's builder.</param>
    /// <param name="config">A resolved configuration (<see cref="LanConfiguration.Load(string?)"/>): <c>lan { }</c> and <c>akka { }</c>.</param>
    /// <param name="handler">Props of the handler actor.</param>
    /// <param name="options">How the node serves its handler (mode, pull mode, batch delivery, name); <see cref="ServerOptions.Default"/> when null.</param>
    /// <exception cref="ConfigException">A <c>lan.*</c> setting is invalid; thrown here, before the host starts.</exception>
    public static AkkaConfigurationBuilder AddLanServer(this AkkaConfigurationBuilder builder, HoconConfig config, Props handler, ServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddNode<LanServerNode>(builder, config, async (system, settings) => (await LanNode.StartServerAsync(system, settings, handler, options).ConfigureAwait(false)).Node);
    }

    /// <summary>
    /// Starts a peer node with the ActorSystem (a server that also connects out, one handler for both sides); it is in
    /// the <see cref="ActorRegistry"/> under <see cref="LanPeerNode"/> once it listens.
    /// </summary>
    /// <param name="builder">Akka.Hosting's builder.</param>
    /// <param name="config">A resolved configuration (<see cref="LanConfiguration.Load(string?)"/>).</param>
    /// <param name="handler">Props of the handler actor.</param>
    /// <param name="name">The node actor's name.</param>
    /// <exception cref="ConfigException">A <c>lan.*</c> setting is invalid; thrown here, before the host starts.</exception>
    public static AkkaConfigurationBuilder AddLanPeer(this AkkaConfigurationBuilder builder, HoconConfig config, Props handler, string name = "lan-peer")
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddNode<LanPeerNode>(builder, config, async (system, settings) => (await LanNode.StartPeerAsync(system, settings, handler, name).ConfigureAwait(false)).Node);
    }

    /// <summary>
    /// Starts a registry with the ActorSystem, for nodes configured with <c>lan.discovery.registry</c>; it is in the
    /// <see cref="ActorRegistry"/> under <see cref="LanRegistryNode"/> once it listens.
    /// </summary>
    /// <param name="builder">Akka.Hosting's builder.</param>
    /// <param name="config">A resolved configuration (<see cref="LanConfiguration.Load(string?)"/>); <c>lan.tcp</c> says where it listens.</param>
    /// <param name="name">The node actor's name.</param>
    /// <exception cref="ConfigException">A <c>lan.*</c> setting is invalid; thrown here, before the host starts.</exception>
    public static AkkaConfigurationBuilder AddLanRegistry(this AkkaConfigurationBuilder builder, HoconConfig config, string name = "lan-registry") =>
        AddNode<LanRegistryNode>(builder, config, async (system, settings) => (await LanNode.StartRegistryAsync(system, settings, name).ConfigureAwait(false)).Node);

    /// <summary>
    /// Starts a client node with the ActorSystem; it is in the <see cref="ActorRegistry"/> under <see cref="LanClientNode"/>.
    /// Send it <see cref="ConnectTo"/>, or set <c>lan.client.auto-connect</c>.
    /// </summary>
    /// <param name="builder">Akka.Hosting's builder.</param>
    /// <param name="config">A resolved configuration (<see cref="LanConfiguration.Load(string?)"/>).</param>
    /// <param name="handler">Props of the handler actor.</param>
    /// <param name="name">The node actor's name.</param>
    /// <exception cref="ConfigException">A <c>lan.*</c> setting is invalid; thrown here, before the host starts.</exception>
    public static AkkaConfigurationBuilder AddLanClient(this AkkaConfigurationBuilder builder, HoconConfig config, Props handler, string name = "lan-client")
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddNode<LanClientNode>(builder, config, (system, settings) => Task.FromResult(LanNode.StartClient(system, settings, handler, name).Node));
    }

    // Every node is added the same way: its settings checked now (a bad file fails before the host starts), its akka
    // part in front of the builder's HOCON, and the node started with the system and registered under TKey. The
    // filer's receiver (a layer above) is added through it too.
    internal static AkkaConfigurationBuilder AddNode<TKey>(AkkaConfigurationBuilder builder, HoconConfig config, Func<ActorSystem, LanNodeSettings, Task<IActorRef>> start) =>
        AddNode<TKey>(builder, config, (system, _, settings) => start(system, settings));

    internal static AkkaConfigurationBuilder AddNode<TKey>(AkkaConfigurationBuilder builder, HoconConfig config, Func<ActorSystem, IActorRegistry, LanNodeSettings, Task<IActorRef>> start)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(config);
        var settings = LanNodeSettings.FromConfig(config);
        return builder
            .AddHocon(config.ToAkkaConfig(), HoconAddMode.Prepend)
            .AddStartup(async (system, registry) => registry.Register<TKey>(await start(system, registry, settings).ConfigureAwait(false)));
    }
}
