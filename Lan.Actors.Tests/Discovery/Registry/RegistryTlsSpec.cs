using Akka.Actor;
using Lan.Actors.Discovery;
using Lan.Actors.Discovery.Registry;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Security;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Discovery.Registry;

/// <summary>In TLS mode the registry is reached as any node is: over TLS, with the registry's ID judged by the trust policy.</summary>
public sealed class RegistryTlsSpec(ITestOutputHelper output) : LanTestKit(
    """
    lan.node.app = registry-tls
    lan.security { mode = tls, trust = tofu }
    lan.tcp { port = 0, close-timeout = 300ms }
    lan.discovery { enabled = off, announce-interval = 200ms, expire-after = 1s }
    """, output)
{
    private LanNodeSettings Base => LanNodeSettings.FromConfig(LanConfig);

    [Fact]
    public async Task NodesInTlsMode_FindEachOtherThroughARegistryInTlsMode()
    {
        var registry = await LanNode.StartRegistryAsync(Sys, Base, "registry");
        var through = Base with { Discovery = Base.Discovery with { Registry = new RegistryEndPoint("127.0.0.1", registry.LocalEndPoint.Port) } };
        Sys.EventStream.Subscribe(TestActor, typeof(ServerFound));
        var server = await LanNode.StartServerAsync(Sys, through with { Node = through.Node with { Name = "lobby" } }, Props.Create<Lan.Actors.Handlers.EchoHandler>(), new ServerOptions { Name = "lobby" });
        LanNode.StartClient(Sys, through with { Node = through.Node with { Name = "ana" } }, Forwarder.To(CreateTestProbe()), "ana");

        var found = FishForMessage<ServerFound>(found => found.Server.Name == "lobby", TimeSpan.FromSeconds(10)).Server;
        Assert.Equal(server.Id, found.Id);
        Assert.True(NodeId.TryParse(found.Id, out _, out _), "a TLS node registers under its certificate's fingerprint");
    }

    [Fact]
    public async Task AConnectionRegisteringAnotherNodesId_IsNotListed_ItsOwnIs()
    {
        var registry = await LanNode.StartRegistryAsync(Sys, Base, "registry");
        var victim = NodeIdentity.CreateEphemeral().Id.ToString();
        var own = NodeIdentity.CreateEphemeral();
        var settings = Base with { Security = Base.Security with { Identity = own, TrustStore = TrustStore.InMemory() } };
        LanNode.StartClient(Sys, settings, Forwarder.To(TestActor), "mallory").Connect(registry.LocalEndPoint);
        var connection = FishForMessage<Connected>(_ => true).Connection;

        connection.Tell(new Send(Lan.Actors.Protocol.Packet.From(new RegisterNode(victim, "i1", "victim", "registry-tls", 4000))));
        connection.Tell(new Send(Lan.Actors.Protocol.Packet.From(new RegisterNode("not-an-id", "i1", "junk", "registry-tls", 4000))));
        connection.Tell(new Send(Lan.Actors.Protocol.Packet.From(new RegisterNode(own.Id.ToString(), "i1", "mallory", "registry-tls", 4001))));

        var list = FishForMessage<Received>(message => message.Packet.Type == "REGISTRY_LIST" && message.Packet.As<RegistryList>().Servers.Count > 0, TimeSpan.FromSeconds(10));
        Assert.Equal([own.Id.ToString()], list.Packet.As<RegistryList>().Servers.Select(entry => entry.Id));
    }
}
