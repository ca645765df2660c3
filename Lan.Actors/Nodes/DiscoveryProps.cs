using Akka.Actor;
using Akka.Pattern;
using Lan.Actors.Io;
using Lan.Actors.Discovery;
using Lan.Actors.Security;

namespace Lan.Actors.Nodes;

/// <summary>A node's discovery actor under Akka's back-off supervisor: a failing UDP socket restarts discovery, not the node.</summary>
internal static class DiscoveryProps
{
    /// <summary>True when the node needs a discovery actor: UDP discovery is on, or a registry is configured.</summary>
    public static bool Wanted(LanNodeSettings settings) => settings.Discovery.Enabled || settings.Discovery.Registry is not null;

    // Signed announcements in TLS mode; the identity is there once LanNodeSettings.ForOneNode has run.
    private static DiscoverySecurity? Security(LanNodeSettings settings) =>
        settings.Security is { Mode: SecurityMode.Tls, Identity: { } identity }
            ? new DiscoverySecurity(identity, settings.Security.ReplayWindow) { Connection = settings.ConnectionSecurity() }
            : null;

    public static Props Create(LanNodeSettings settings, DiscoveryRole role, int tcpPort, IActorRef? owner = null) =>
        BackoffSupervisor.Props(Backoff.OnFailure(
            DiscoveryActor.Create(settings.Discovery, settings.Protocol, settings.Node, role, tcpPort, owner: owner, registryTcp: settings.Tcp, security: Security(settings)),
            "udp",
            settings.Discovery.Restart.MinBackoff,
            settings.Discovery.Restart.MaxBackoff,
            settings.Discovery.Restart.RandomFactor,
            -1)
            // Whatever broke (the socket, or an Akka Kill), discovery comes back after the back-off.
            .WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Restart)));
}
