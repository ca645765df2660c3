using System.Net;
using System.Net.Sockets;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;

namespace Lan.Actors.TestKit;

/// <summary>The configuration specs run with: the spec's own HOCON over loopback.conf over reference.conf.</summary>
public static class LanTestConfiguration
{
    // Akka.TestKit's EventFilter and its xunit output only see events that reach its own listener,
    // so specs log there instead of to the process's Serilog logger that reference.conf names.
    private const string TestLogging = """akka.loggers = ["Akka.TestKit.TestEventListener, Akka.TestKit"]""";

    // Specs of the wire format, the faults and the handlers talk to nodes with raw sockets in plaintext, so the kit's
    // default is open mode; a spec of TLS says lan.security.mode = tls (or uses LoopbackLan's secure nodes). Either way a
    // node gets a new identity in memory, never one from the user's folder.
    private const string TestSecurity = """
        lan.security.mode = open
        lan.node.identity-dir = ephemeral
        """;

    /// <summary>A UDP port nothing on this host uses at the moment.</summary>
    public static int FreeUdpPort() => FreePort(SocketType.Dgram, ProtocolType.Udp);

    /// <summary>A TCP port nothing on this host uses at the moment, for a spec that needs to know it in advance.</summary>
    public static int FreeTcpPort() => FreePort(SocketType.Stream, ProtocolType.Tcp);

    private static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, type, protocol);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>
    /// Resolves <paramref name="hocon"/> (may be null) over loopback.conf and reference.conf, with Akka's
    /// logging sent to Akka.TestKit's listener unless the HOCON names its own <c>akka.loggers</c>.
    /// </summary>
    /// <exception cref="ConfigException">The spec's HOCON cannot be read or resolved.</exception>
    public static HoconConfig Build(string? hocon)
    {
        var spec = hocon is null ? HoconConfig.Empty : HoconConfig.Parse(hocon, "spec.conf");
        // Each spec discovers on a UDP port of its own, so specs running side by side never hear each other.
        var ownPort = HoconConfig.Parse($"lan.discovery.port = {FreeUdpPort()}", "test kit");
        return spec
            .WithFallback(HoconConfig.Parse(TestLogging, "test kit"))
            .WithFallback(HoconConfig.Parse(TestSecurity, "test kit"))
            .WithFallback(ownPort)
            .WithFallback(LanConfiguration.LoopbackLayer)
            .WithFallback(HoconConfig.Reference)
            .Resolve();
    }
}
