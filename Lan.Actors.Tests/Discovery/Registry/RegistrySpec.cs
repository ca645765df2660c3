using System.Net;
using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.Discovery.Registry;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;
using Xunit.Sdk;
using Lan.Actors.Discovery;

namespace Lan.Actors.Tests.Discovery.Registry;

/// <summary>
/// The registry on loopback, for nodes whose broadcasts never meet: each node below either has UDP discovery
/// off or discovers on a UDP port of its own, so whatever it finds, it found through the registry.
/// </summary>
// Alone: a spec here measures the process's managed heap, which specs running beside it would swell.
[Collection(CountedAloneCollection.Name)]
public sealed class RegistrySpec(ITestOutputHelper output) : LanTestKit(
    """
    lan.node.app = registry-spec
    lan.tcp { port = 0, close-timeout = 300ms, reconnect { min-backoff = 50ms, max-backoff = 200ms } }
    lan.discovery { announce-interval = 200ms, expire-after = 1s }
    """, output)
{
    private LanNodeSettings Base => LanNodeSettings.FromConfig(LanConfig);

    private Task<LanServer> StartRegistry(int port = 0) =>
        LanNode.StartRegistryAsync(Sys, Base with { Tcp = Base.Tcp with { Port = port } }, $"registry-{Guid.NewGuid():N}");

    // A node with a name, an id, and the registry; broadcast either off or on a UDP port no other node uses.
    private LanNodeSettings Node(string name, IPEndPoint registry, bool broadcast = false) => Base with
    {
        Node = Base.Node with { Name = name, Id = name + "-id" },
        Discovery = Base.Discovery with
        {
            Enabled = broadcast,
            Port = LanTestConfiguration.FreeUdpPort(),
            Registry = new RegistryEndPoint("127.0.0.1", registry.Port),
        },
    };

    private void ListenToDiscovery()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(ServerFound));
        Sys.EventStream.Subscribe(TestActor, typeof(ServerUpdated));
        Sys.EventStream.Subscribe(TestActor, typeof(ServerLost));
    }

    private ServerInfo Found(string name) => FishForMessage<ServerFound>(found => found.Server.Name == name, TimeSpan.FromSeconds(10)).Server;

    // Fishing drops what it does not want: several servers found in any order are collected in one go.
    private Dictionary<string, ServerInfo> FoundAll(params string[] names)
    {
        var found = new Dictionary<string, ServerInfo>();
        FishForMessage<ServerFound>(
            next =>
            {
                if (names.Contains(next.Server.Name))
                {
                    found[next.Server.Name] = next.Server;
                }

                return found.Count == names.Length;
            },
            TimeSpan.FromSeconds(10));
        return found;
    }

    private ServerInfo Lost(string name) => FishForMessage<ServerLost>(lost => lost.Server.Name == name, TimeSpan.FromSeconds(10)).Server;

    private static bool IsList(object message, Func<RegistryList, bool> check) =>
        message is Received { Packet.Type: "REGISTRY_LIST" } received && check(received.Packet.As<RegistryList>());

    [Fact]
    public async Task TheRegistry_ExpiresANode_ThatStopsRegistering_ThoughItsConnectionStaysOpen()
    {
        var registry = await StartRegistry();
        var client = LanNode.StartClient(Sys, Base with { Discovery = Base.Discovery with { Enabled = false } }, Forwarder.To(TestActor), "raw-node");
        client.Connect(registry.LocalEndPoint);
        var connection = ExpectMsg<Connected>(TimeSpan.FromSeconds(5)).Connection;
        FishForMessage(message => IsList(message, list => list.Servers.Count == 0));

        // One REGISTER, then silence: PING/PONG keep the connection up, but the registration runs out.
        connection.Tell(new Send(Packet.From(new RegisterNode("quiet-id", "i1", "quiet", "registry-spec", 4242))));
        var listed = FishForMessage<Received>(message => IsList(message, list => list.Servers.Count == 1)).Packet.As<RegistryList>().Servers[0];
        Assert.Equal(("quiet", "127.0.0.1", 4242), (listed.Name, listed.Host, listed.Port));
        FishForMessage(message => message is Disconnected ? throw new XunitException("the connection ended") : IsList(message, list => list.Servers.Count == 0), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ARegistrationLargerThanAServerHelloMayBe_IsNotListed_WhileTheRestGoOn()
    {
        var registry = await StartRegistry();
        var client = LanNode.StartClient(Sys, Base with { Discovery = Base.Discovery with { Enabled = false } }, Forwarder.To(TestActor), "bloater");
        client.Connect(registry.LocalEndPoint);
        var connection = ExpectMsg<Connected>(TimeSpan.FromSeconds(5)).Connection;
        FishForMessage(message => IsList(message, list => list.Servers.Count == 0));

        // 300 KB of META (the attack held +412 MB with 600 of these), then an ordinary registration.
        var bloated = new Dictionary<string, string> { ["X"] = new('x', 300_000) };
        await EventFilter.Warning(contains: "more than a SERVER_HELLO may carry (lan.protocol.max-datagram-size = 1400)").ExpectOneAsync(async () =>
        {
            connection.Tell(new Send(Packet.From(new RegisterNode("big-id", "i", "big", "registry-spec", 4000, Meta: bloated))));
            await Task.Yield();
        });
        connection.Tell(new Send(Packet.From(new RegisterNode("small-id", "i", "small", "registry-spec", 4001))));

        var listed = FishForMessage<Received>(message => IsList(message, list => list.Servers.Count > 0)).Packet.As<RegistryList>();
        Assert.Equal(["small-id"], listed.Servers.Select(entry => entry.Id));
    }

    [Fact]
    public async Task SixHundredBloatedRegistrations_FromAConnectionThatNeverReads_LeaveTheHeapAlmostAsItWas()
    {
        // Before the bounds: 600 REGISTERs of 300 KB META from one connection that never reads held +412 MB.
        var registry = await StartRegistry();
        using var bloater = await RawPeer.ConnectAsync(registry.LocalEndPoint);
        bloater.Socket.ReceiveBufferSize = 4096;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var bloated = new Dictionary<string, string> { ["X"] = new('x', 300_000) };
        for (var i = 0; i < 600; i++)
        {
            await bloater.SendAsync(Packet.From(new RegisterNode($"bloat-{i % 16}", $"i{i}", "bloat", "registry-spec", 4000, Meta: bloated)));
        }

        // The sends completed, so the registry has read all but what the kernel holds; an ordinary registration from
        // another node then shows it still works.
        var client = LanNode.StartClient(Sys, Base with { Discovery = Base.Discovery with { Enabled = false } }, Forwarder.To(TestActor), "after");
        client.Connect(registry.LocalEndPoint);
        var connection = ExpectMsg<Connected>(TimeSpan.FromSeconds(5)).Connection;
        connection.Tell(new Send(Packet.From(new RegisterNode("after-id", "i", "after", "registry-spec", 4100))));
        FishForMessage(message => IsList(message, list => list.Servers.Any(entry => entry.Id == "after-id")));

        var heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        Assert.True(heap < (16L << 20), $"the managed heap grew by {heap >> 20} MiB");
    }

    [Fact]
    public async Task TheList_HoldsNoMoreNodesThanTheTableMayKeep_SoItAlwaysFitsOneFrame()
    {
        var registry = await LanNode.StartRegistryAsync(Sys, Base with { Discovery = Base.Discovery with { MaxServers = 5 } }, "registry-capped");
        var client = LanNode.StartClient(Sys, Base with { Discovery = Base.Discovery with { Enabled = false } }, Forwarder.To(TestActor), "filler");
        client.Connect(registry.LocalEndPoint);
        var connection = ExpectMsg<Connected>(TimeSpan.FromSeconds(5)).Connection;
        for (var i = 0; i < 8; i++)
        {
            connection.Tell(new Send(Packet.From(new RegisterNode($"n-{i}", "i", "n", "registry-spec", 3000 + i))));
        }

        connection.Tell(new Send(Packet.From(new RegisterNode("n-0", "i", "n", "registry-spec", 2999))));
        var last = FishForMessage<Received>(message => IsList(message, list => list.Servers.Any(entry => entry is { Id: "n-0", Port: 2999 })));
        Assert.Equal(["n-0", "n-1", "n-2", "n-3", "n-4"], last.Packet.As<RegistryList>().Servers.Select(entry => entry.Id));
    }

    [Fact]
    public async Task OneConnection_CannotFillTheRegistry_WithMadeUpNodes()
    {
        var registry = await StartRegistry();
        var client = LanNode.StartClient(Sys, Base with { Discovery = Base.Discovery with { Enabled = false } }, Forwarder.To(TestActor), "flooder");
        client.Connect(registry.LocalEndPoint);
        var connection = ExpectMsg<Connected>(TimeSpan.FromSeconds(5)).Connection;
        for (var i = 0; i <= RegistryActor.MaxPerConnection; i++)
        {
            connection.Tell(new Send(Packet.From(new RegisterNode($"fake-{i}", "i", "fake", "registry-spec", 1000 + i))));
        }

        // The last REGISTER of all re-registers one already listed, and the list it answers with still holds the maximum.
        connection.Tell(new Send(Packet.From(new RegisterNode("fake-0", "i", "fake", "registry-spec", 999))));
        var last = FishForMessage<Received>(message => IsList(message, list => list.Servers.Any(entry => entry is { Id: "fake-0", Port: 999 })));
        Assert.Equal(RegistryActor.MaxPerConnection, last.Packet.As<RegistryList>().Servers.Count);
    }

    [Fact]
    public async Task ANodeThatRegisters_IsFound_ByAnotherNodesDiscovery_AtTheAddressItConnectedFrom()
    {
        ListenToDiscovery();
        var registry = await StartRegistry();
        var server = await LanNode.StartServerAsync(Sys, Node("alpha", registry.LocalEndPoint), Props.Create<EchoHandler>(), new ServerOptions { Name = "alpha" });
        LanNode.StartClient(Sys, Node("seeker", registry.LocalEndPoint), Forwarder.To(TestActor), "seeker");
        var found = Found("alpha");
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port), found.EndPoint);
        Assert.Equal("alpha-id", found.Id);
        Assert.NotEmpty(found.Instance);
    }

    [Fact]
    public async Task TwoNodesWhoseBroadcastsNeverMeet_FindEachOther_AndTheClientAutoConnects()
    {
        ListenToDiscovery();
        var registry = await StartRegistry();
        await LanNode.StartServerAsync(Sys, Node("alpha", registry.LocalEndPoint, broadcast: true), Props.Create<EchoHandler>(), new ServerOptions { Name = "alpha" });
        var settings = Node("seeker", registry.LocalEndPoint, broadcast: true) with { AutoConnect = new AutoConnect(true, "alpha") };
        LanNode.StartClient(Sys, settings, Forwarder.To(TestActor), "seeker");
        var identified = FishForMessage<Identified>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal("alpha", identified.Peer.Name);
        identified.Connection.Tell(new Send(RawPeer.Message("through the registry")));
        FishForMessage<Received>(received => received.Packet.Type == PacketTypes.Message);
    }

    [Theory]
    [InlineData("server")]
    [InlineData("client")]
    public async Task ANodeThatStopsCleanly_SaysDisconnectToTheRegistry_WhichSeesItLeave_NotDrop(string kind)
    {
        // A stand-in registry that shows what reaches it, with lists pushed as the real one does (unread data at
        // the node's end is what turned its close into a reset).
        var registry = await LanNode.StartServerAsync(Sys, Base, Forwarder.To(TestActor), new ServerOptions { Name = "stand-in-registry" });
        var settings = Node("leaving", registry.LocalEndPoint);
        Func<TimeSpan, Task> stop = kind == "server"
            ? (await LanNode.StartServerAsync(Sys, settings, Props.Create<EchoHandler>(), new ServerOptions { Name = "leaving" })).StopAsync
            : LanNode.StartClient(Sys, settings, Props.Create<EchoHandler>(), "leaving").StopAsync;
        // Its HELLO has arrived, so the node's end is open (a Close while still connecting would stop it without a word).
        var link = FishForMessage<Identified>(_ => true, TimeSpan.FromSeconds(10)).Connection;
        link.Tell(new Send(Packet.From(new RegistryList([]))));
        link.Tell(new Send(Packet.From(new RegistryList([]))));

        await stop(TimeSpan.FromSeconds(10));

        var gone = FishForMessage<Disconnected>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal(DisconnectReason.Requested, gone.Reason);
    }

    [Fact]
    public async Task AServerThatStops_IsLost_AndOneHeardByBothSources_IsOneServer()
    {
        ListenToDiscovery();
        var registry = await StartRegistry();
        var alpha = Node("alpha", registry.LocalEndPoint, broadcast: true);
        var seeker = Node("seeker", registry.LocalEndPoint, broadcast: true);
        // Both on one UDP port: the seeker hears alpha by broadcast and from the registry, and finds it once.
        seeker = seeker with { Discovery = seeker.Discovery with { Port = alpha.Discovery.Port } };
        var server = await LanNode.StartServerAsync(Sys, alpha, Props.Create<EchoHandler>(), new ServerOptions { Name = "alpha" });
        // beta is a server, not a peer: a peer's discovery would report alpha on the same event stream.
        var beta = await LanNode.StartServerAsync(Sys, Node("beta", registry.LocalEndPoint), Props.Create<EchoHandler>(), new ServerOptions { Name = "beta" });
        LanNode.StartClient(Sys, seeker, Forwarder.To(TestActor), "seeker");
        FoundAll("alpha", "beta");

        await server.StopAsync(TimeSpan.FromSeconds(5));
        FishForMessage(message => message switch
        {
            ServerFound { Server.Name: "alpha" } => throw new XunitException("alpha was found twice"),
            ServerLost { Server.Name: "alpha" } => true,
            _ => false,
        }, TimeSpan.FromSeconds(10));
        await beta.StopAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("beta-id", Lost("beta").Id);
    }

    [Fact]
    public async Task APeer_RegistersAndListens_SoTwoPeersFindEachOther()
    {
        var registry = await StartRegistry();
        var first = await LanNode.StartPeerAsync(Sys, Node("first", registry.LocalEndPoint), Props.Create<EchoHandler>(), "first");
        ListenToDiscovery();
        var second = await LanNode.StartPeerAsync(Sys, Node("second", registry.LocalEndPoint), Props.Create<EchoHandler>(), "second");
        var found = FoundAll("first", "second");
        Assert.Equal(first.LocalEndPoint.Port, found["first"].EndPoint.Port);
        Assert.Equal(second.LocalEndPoint.Port, found["second"].EndPoint.Port);
    }

    [Fact]
    public async Task WhenTheRegistryRestarts_NodesReconnect_AndRegisterAgain()
    {
        ListenToDiscovery();
        var port = LanTestConfiguration.FreeTcpPort();
        var registry = await StartRegistry(port);
        await LanNode.StartServerAsync(Sys, Node("alpha", registry.LocalEndPoint), Props.Create<EchoHandler>(), new ServerOptions { Name = "alpha" });
        var seeker = CreateTestProbe();
        var seekerSettings = Node("seeker", registry.LocalEndPoint) with { AutoConnect = new AutoConnect(true, "gamma") };
        LanNode.StartClient(Sys, seekerSettings, Forwarder.To(seeker), "seeker");
        Found("alpha");

        await registry.StopAsync(TimeSpan.FromSeconds(5));
        registry = await StartRegistry(port);

        // A node that comes after the restart can reach alpha only if alpha registered again with the new registry...
        var late = CreateTestProbe();
        LanNode.StartClient(Sys, Node("late", registry.LocalEndPoint) with { AutoConnect = new AutoConnect(true, "alpha") }, Forwarder.To(late), "late");
        Assert.Equal("alpha", late.FishForMessage<Identified>(_ => true, TimeSpan.FromSeconds(10)).Peer.Name);

        // ...and the seeker reaches a server that registered after the restart only if it reconnected.
        await LanNode.StartServerAsync(Sys, Node("gamma", registry.LocalEndPoint), Props.Create<EchoHandler>(), new ServerOptions { Name = "gamma" });
        Assert.Equal("gamma", seeker.FishForMessage<Identified>(_ => true, TimeSpan.FromSeconds(10)).Peer.Name);
    }
}
