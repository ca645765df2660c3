using System.Net;
using System.Net.Sockets;
using Akka.TestKit;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.Security;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Nodes;

/// <summary>
/// A client node that connects by itself to the server named bob (<c>lan.client.auto-connect = "bob"</c>), in TLS mode:
/// before this change (commit 78d998f) a forged SERVER_HELLO with bob's ID and another port moved a live client to the
/// forger, and a node of the forger's own named bob was as good as the real one. Now neither moves nor takes it.
/// </summary>
public sealed class TrustedAutoConnectSpec(ITestOutputHelper output) : LanTestKit(
    """
    lan.security { mode = tls, trust = pinned }
    lan.client.auto-connect = "bob"
    lan.tcp { port = 0, close-timeout = 300ms, reconnect { min-backoff = 50ms, max-backoff = 200ms } }
    lan.discovery { announce-interval = 200ms, expire-after = 5s }
    """, output)
{
    private readonly NodeIdentity _bob = NodeIdentity.CreateEphemeral();

    private LanNodeSettings Settings(string name, NodeIdentity identity, TrustStore store)
    {
        var settings = LanNodeSettings.FromConfig(LanConfig);
        return settings with
        {
            Node = settings.Node with { Name = name },
            Security = settings.Security with { Identity = identity, TrustStore = store },
        };
    }

    private async Task<TestProbe> StartServer(string name, NodeIdentity identity, string actorName)
    {
        var probe = CreateTestProbe();
        var settings = Settings(name, identity, TrustStore.InMemory());
        await LanNode.StartServerAsync(Sys, settings with { Security = settings.Security with { Trust = TrustPolicy.Any } }, Forwarder.To(probe), new ServerOptions { Name = actorName });
        return probe;
    }

    private void Forge(ServerHello hello)
    {
        using var forger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true };
        forger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        forger.SendTo(new DatagramCodec().Encode(Packet.From(hello)).Span, new IPEndPoint(IPAddress.Parse("127.255.255.255"), LanConfig.GetInt("lan.discovery.port")));
    }

    [Fact]
    public async Task ALiveClient_IsNeverMovedToAForgedServer_NorToAnotherNodeNamedBob()
    {
        var bob = await StartServer("bob", _bob, "bob");
        var clientProbe = CreateTestProbe();
        LanNode.StartClient(Sys, Settings("ana", NodeIdentity.CreateEphemeral(), TrustStore.InMemory(new TrustedPeer(_bob.Id, "bob", TrustOrigin.Added))), Forwarder.To(clientProbe), "ana");
        clientProbe.ExpectMsg<Connected>();
        Assert.Equal(_bob.Id.ToString(), clientProbe.ExpectMsg<Identified>().Peer.Id);

        // Mallory: her own node named bob, and hellos claiming Bob's ID at her port, unsigned and signed with her key.
        var mallory = NodeIdentity.CreateEphemeral();
        var malloryProbe = await StartServer("bob", mallory, "mallory");
        Forge(new ServerHello(_bob.Id.ToString(), "bob", "lan", 1, Instance: "forged"));
        Forge(AnnouncementSignature.Sign(new ServerHello(_bob.Id.ToString(), "bob", "lan", 1, Instance: "forged"), mallory, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

        // A few announcement intervals: a client that was going to move would have by now.
        clientProbe.ExpectNoMsg(TimeSpan.FromSeconds(1));
        malloryProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        bob.ExpectMsg<Connected>();
        bob.ExpectMsg<Identified>();
    }

    [Fact]
    public async Task OnlyAnUntrustedNodeNamedBob_IsNeverConnected_AndTheClientSaysWhy()
    {
        await StartServer("bob", NodeIdentity.CreateEphemeral(), "impostor");
        var clientProbe = CreateTestProbe();
        await EventFilter.Warning(contains: "not connecting to bob").ExpectOneAsync(async () =>
        {
            LanNode.StartClient(Sys, Settings("ana", NodeIdentity.CreateEphemeral(), TrustStore.InMemory(new TrustedPeer(_bob.Id, "bob", TrustOrigin.Added))), Forwarder.To(clientProbe), "ana");
            await Task.CompletedTask;
        });
        clientProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }
}
