using Akka.Actor;
using Akka.Hosting;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;

namespace Lan.Actors.Filer;

/// <summary>The key under which a LAN file receiver sits in Akka.Hosting's <see cref="ActorRegistry"/>.</summary>
public sealed class LanReceiverNode;

/// <summary>Adds the filer's nodes to an ActorSystem that Akka.Hosting builds, as <see cref="LanHostingExtensions"/> adds the others.</summary>
public static class FilerHostingExtensions
{
    /// <summary>
    /// Starts a file receiver with the ActorSystem: a server node whose shared handler is a <see cref="FileReceiverHandler"/>
    /// writing into <see cref="FileReceiverOptions.Folder"/>; it is in the <see cref="ActorRegistry"/> under
    /// <see cref="LanReceiverNode"/> once it listens. Peers send to it with a <see cref="FileSenderHandler"/>.
    /// </summary>
    /// <param name="builder">Akka.Hosting's builder.</param>
    /// <param name="config">A resolved configuration (<see cref="LanConfiguration.Load(string?)"/>).</param>
    /// <param name="options">Where and how files are received; use the other overload when a decider actor answers the offers.</param>
    /// <param name="name">The node actor's name.</param>
    /// <exception cref="ConfigException">A <c>lan.*</c> setting is invalid; thrown here, before the host starts.</exception>
    public static AkkaConfigurationBuilder AddLanReceiver(this AkkaConfigurationBuilder builder, HoconConfig config, FileReceiverOptions options, string name = "lan-receiver")
    {
        ArgumentNullException.ThrowIfNull(options);
        return AddReceiver(builder, config, (_, _) => options, name);
    }

    /// <summary>
    /// Starts a file receiver with the ActorSystem, its options made once the system's actors exist, so that a decider
    /// added with <c>WithActors</c> can answer the offers:
    /// <c>b.WithActors((s, r) =&gt; r.Register&lt;Decider&gt;(s.ActorOf(...))).AddLanReceiver(config, (s, r) =&gt; new FileReceiverOptions(dir) { Decider = r.Get&lt;Decider&gt;() })</c>.
    /// </summary>
    /// <param name="builder">Akka.Hosting's builder.</param>
    /// <param name="config">A resolved configuration (<see cref="LanConfiguration.Load(string?)"/>).</param>
    /// <param name="options">Makes the options from the started system and its registry.</param>
    /// <exception cref="ConfigException">A <c>lan.*</c> setting is invalid; thrown here, before the host starts.</exception>
    public static AkkaConfigurationBuilder AddLanReceiver(this AkkaConfigurationBuilder builder, HoconConfig config, Func<ActorSystem, IActorRegistry, FileReceiverOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return AddReceiver(builder, config, options, "lan-receiver");
    }

    private static AkkaConfigurationBuilder AddReceiver(AkkaConfigurationBuilder builder, HoconConfig config, Func<ActorSystem, IActorRegistry, FileReceiverOptions> options, string name) =>
        LanHostingExtensions.AddNode<LanReceiverNode>(builder, config, async (system, registry, settings) =>
        {
            var handler = FileReceiverHandler.Props(options(system, registry));
            return (await LanNode.StartServerAsync(system, settings, handler, new ServerOptions { Name = name }).ConfigureAwait(false)).Node;
        });
}
