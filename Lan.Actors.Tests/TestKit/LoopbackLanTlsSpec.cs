using Lan.Actors.Io;
using Lan.Actors.Security;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.TestKit;

/// <summary>The LAN test kit in TLS mode: each node a throw-away identity of its own, a server's kept across its restart.</summary>
public sealed class LoopbackLanTlsSpec(ITestOutputHelper output) : LanTestKit(
    """
    lan.security { mode = tls, trust = tofu }
    lan.tcp { close-timeout = 300ms, reconnect { min-backoff = 50ms, max-backoff = 200ms } }
    lan.discovery { announce-interval = 200ms, expire-after = 1s }
    """, output)
{
    [Fact]
    public async Task NodesProveIdsOfTheirOwn_AndARestartedServerKeepsItsId_SoItsClientComesBack()
    {
        await using var lan = new LoopbackLan(this);
        var serverSide = new PacketProbe(this, "server-side");
        var server = await lan.StartServer("vault", serverSide.HandlerProps);
        var client = lan.StartProbeClient("vault", "ana");
        var first = client.ExpectIdentified();
        Assert.Equal(server.Id, first.Peer.Id);
        Assert.True(NodeId.TryParse(server.Id, out _, out _), "a TLS node's ID is its certificate's fingerprint");
        Assert.NotEqual(server.Id, serverSide.ExpectIdentified().Peer.Id);

        var restarted = await lan.RestartServer(server, clean: true);

        Assert.Equal(server.Id, restarted.Id);
        client.ExpectDisconnected(DisconnectReason.ServerClosed);
        Assert.Equal(server.Id, client.ExpectIdentified().Peer.Id);
    }
}
