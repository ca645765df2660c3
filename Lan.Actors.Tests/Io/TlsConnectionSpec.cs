using Akka.Actor;
using Akka.TestKit;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.Security;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>
/// Connections in TLS mode: both sides prove the node ID their certificate's fingerprint is, and a side that proves
/// another ID than the one expected (a man in the middle, a node a forged announcement pointed at) or one the trust
/// policy refuses is cut off before any packet of it reaches a handler.
/// </summary>
public sealed class TlsConnectionSpec(ITestOutputHelper output) : LanTestKit(
    """
    lan.security { mode = tls, trust = any }
    lan.tcp { port = 0, close-timeout = 500ms, reconnect { min-backoff = 50ms, max-backoff = 200ms } }
    lan.discovery.enabled = off
    """, output)
{
    private LanNodeSettings Settings(string name, TrustPolicy trust = TrustPolicy.Any, NodeIdentity? identity = null, TrustStore? store = null)
    {
        var settings = LanNodeSettings.FromConfig(LanConfig);
        return settings with
        {
            Node = settings.Node with { Name = name },
            Security = settings.Security with { Trust = trust, Identity = identity ?? NodeIdentity.CreateEphemeral(), TrustStore = store ?? TrustStore.InMemory() },
        };
    }

    private async Task<(LanServer Server, NodeId Id, TestProbe Probe)> StartServer(LanNodeSettings settings)
    {
        var probe = CreateTestProbe();
        var server = await LanNode.StartServerAsync(Sys, settings, Forwarder.To(probe), new ServerOptions { Name = $"server-{Guid.NewGuid():N}" });
        return (server, settings.Security.Identity!.Id, probe);
    }

    private LanClient StartClient(LanNodeSettings settings, TestProbe probe) =>
        LanNode.StartClient(Sys, settings, Forwarder.To(probe), $"client-{Guid.NewGuid():N}");

    [Fact]
    public async Task TwoNodes_EachProveTheirId_AndTalkOverTls()
    {
        var (server, serverId, serverProbe) = await StartServer(Settings("lobby"));
        var clientSettings = Settings("ana");
        var clientProbe = CreateTestProbe();
        StartClient(clientSettings, clientProbe).Connect(server.LocalEndPoint, serverId);

        var connection = clientProbe.ExpectMsg<Connected>().Connection;
        Assert.Equal(serverId.ToString(), clientProbe.ExpectMsg<Identified>().Peer.Id);
        serverProbe.ExpectMsg<Connected>();
        Assert.Equal(clientSettings.Security.Identity!.Id.ToString(), serverProbe.ExpectMsg<Identified>().Peer.Id);

        connection.Tell(new Send(Packet.From(new TextMessage("over TLS"))));
        Assert.Equal("over TLS", serverProbe.ExpectMsg<Received>().Packet.GetString("TEXT"));
    }

    [Fact]
    public async Task AClientExpectingAnotherId_EndsWithIdentityMismatch_NamingBothFingerprints_AndSendsNothing()
    {
        var (server, serverId, serverProbe) = await StartServer(Settings("lobby"));
        var expected = NodeIdentity.CreateEphemeral().Id;
        var clientProbe = CreateTestProbe();
        StartClient(Settings("ana"), clientProbe).Connect(server.LocalEndPoint, expected);

        var ended = clientProbe.ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.IdentityMismatch, ended.Reason);
        Assert.Contains(expected.ToString(), ended.Detail, StringComparison.Ordinal);
        Assert.Contains(serverId.ToString(), ended.Detail, StringComparison.Ordinal);
        // Not retried: a mismatch is no passing fault.
        clientProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        serverProbe.FishForMessage(message => message is Disconnected, hint: "the server's side ends too");
    }

    [Fact]
    public async Task AManInTheMiddle_WithItsOwnCertificate_IsRefusedWithIdentityMismatch_AndReadsNoPlaintext()
    {
        var (server, serverId, serverProbe) = await StartServer(Settings("lobby"));
        await using var mitm = ManInTheMiddle.Start(server.LocalEndPoint);
        var clientProbe = CreateTestProbe();
        StartClient(Settings("ana"), clientProbe).Connect(mitm.EndPoint, serverId);

        var ended = clientProbe.ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.IdentityMismatch, ended.Reason);
        Assert.Contains($"expected node {serverId}, but the peer proved {mitm.Id}", ended.Detail, StringComparison.Ordinal);
        await AwaitConditionAsync(() => Task.FromResult(mitm.Intercepted == 1));
        // The man in the middle may reach the server as itself (trust = any lets any ID in), or not (its leg's handshake
        // can be cut by its own close), but it carries nothing of the victim's: once its relay has ended, the server's
        // handler has heard no packet and no name.
        await AwaitConditionAsync(() => Task.FromResult(mitm.Relaying == 0));
        Assert.Equal(0, mitm.PlaintextSeen);
        while (serverProbe.HasMessages)
        {
            var heard = serverProbe.ReceiveOne(TimeSpan.Zero);
            Assert.False(heard is Received or Identified, $"the server's handler heard {heard} through the man in the middle");
        }
    }

    [Fact]
    public async Task APlaintextPeer_NeverReachesTheHandlerOfATlsNode()
    {
        var (server, _, serverProbe) = await StartServer(Settings("lobby"));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        await peer.SendAsync(Packet.From(new Hello("plain", "plain", "lan")));
        Assert.Null(await peer.ReadAsync());
        serverProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task UnderPinned_AServerRefusesAClientNotInItsStore_AndTakesItOnceTrusted()
    {
        var store = TrustStore.InMemory();
        var (server, serverId, serverProbe) = await StartServer(Settings("lobby", TrustPolicy.Pinned, store: store));
        var clientSettings = Settings("ana");
        var clientProbe = CreateTestProbe();
        var client = StartClient(clientSettings, clientProbe);
        client.Connect(server.LocalEndPoint, serverId);

        // TLS 1.3 lets the client finish its handshake before the server has judged the client's certificate.
        clientProbe.FishForMessage(message => message is Disconnected, hint: "the untrusted client is cut off");
        serverProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        client.Node.Tell(new DisconnectFrom(server.LocalEndPoint));

        store.Add(clientSettings.Security.Identity!.Id, "ana", TrustOrigin.Added);
        var trusted = CreateTestProbe();
        StartClient(clientSettings, trusted).Connect(server.LocalEndPoint, serverId);
        trusted.ExpectMsg<Connected>();
        Assert.Equal(clientSettings.Security.Identity.Id.ToString(), serverProbe.FishForMessage<Identified>(_ => true).Peer.Id);
    }

    [Fact]
    public async Task UnderTofu_AClientPinsTheServerNameItFirstReached_AndRefusesAnotherNodeUsingIt()
    {
        var (server, _, _) = await StartServer(Settings("lobby"));
        var store = TrustStore.InMemory();
        var clientSettings = Settings("ana", TrustPolicy.Tofu, store: store);
        var first = CreateTestProbe();
        StartClient(clientSettings, first).Connect(server.LocalEndPoint);
        var lobbyId = first.FishForMessage<Identified>(_ => true).Peer.Id;
        Assert.Equal([new TrustedPeer(NodeId.Parse(lobbyId), "lobby", TrustOrigin.FirstUse)], store.Peers);

        var (impostor, _, _) = await StartServer(Settings("lobby"));
        var fooled = CreateTestProbe();
        StartClient(clientSettings, fooled).Connect(impostor.LocalEndPoint);
        var refused = fooled.FishForMessage<Disconnected>(_ => true);
        Assert.Equal(DisconnectReason.IdentityMismatch, refused.Reason);
        Assert.Contains($"the name is pinned to node {lobbyId}", refused.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderTofu_AServerEnforcesNamesPinnedInItsStore_ButNeverPinsTheNamesClientsMakeUp()
    {
        // Any host may connect under as many names as it likes: were they pinned, its store would grow without bound.
        var bob = NodeIdentity.CreateEphemeral();
        var store = TrustStore.InMemory(new TrustedPeer(bob.Id, "bob", TrustOrigin.Added));
        var (server, serverId, serverProbe) = await StartServer(Settings("lobby", TrustPolicy.Tofu, store: store));
        for (var i = 0; i < 20; i++)
        {
            var made = CreateTestProbe();
            StartClient(Settings($"made-up-{i}"), made).Connect(server.LocalEndPoint, serverId);
            made.FishForMessage<Identified>(_ => true);
        }

        var impostor = CreateTestProbe();
        StartClient(Settings("bob"), impostor).Connect(server.LocalEndPoint, serverId);
        var refused = serverProbe.FishForMessage<Disconnected>(_ => true);
        Assert.Equal(DisconnectReason.IdentityMismatch, refused.Reason);
        Assert.Contains("the name is pinned to node", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(DisconnectReason.Rejected, impostor.FishForMessage<Disconnected>(_ => true).Reason);
        Assert.Equal([new TrustedPeer(bob.Id, "bob", TrustOrigin.Added)], store.Peers);
    }

    [Fact]
    public void ALanNodeIdSet_InTlsMode_IsAnError_ThatSaysWhatTheIdIs()
    {
        var settings = LanNodeSettings.FromConfig(LanConfig);
        var configured = settings with { Node = settings.Node with { Id = "chosen-by-hand" }, Security = settings.Security with { IdentityDir = SecuritySettings.Ephemeral } };
        var error = Assert.Throws<IdentityException>(() => LanNode.StartClient(Sys, configured, Props.Empty));
        Assert.Contains("lan.node.id = \"chosen-by-hand\" is set, but in tls mode a node's ID is its certificate's fingerprint", error.Message, StringComparison.Ordinal);
    }
}
