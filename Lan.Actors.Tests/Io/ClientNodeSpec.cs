using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>A client node against a server node in the same system, over loopback: handshake, faults, reconnects.</summary>
public sealed class ClientNodeSpec(ITestOutputHelper output) : LanTestKit(
    """
    lan.node { name = tester, app = spec-app }
    lan.tcp {
      port = 0
      close-timeout = 300ms
      reconnect { min-backoff = 50ms, max-backoff = 200ms, random-factor = 0.1 }
    }
    """, output)
{
    private LanNodeSettings Settings => LanNodeSettings.FromConfig(LanConfig);

    private Task<LanServer> StartServer(LanNodeSettings settings, TestProbe probe, string name = "server") =>
        LanNode.StartServerAsync(Sys, settings, Forwarder.To(probe), new ServerOptions { Name = name });

    private LanClient StartClient(TestProbe probe, LanNodeSettings? settings = null) =>
        LanNode.StartClient(Sys, settings ?? Settings, Forwarder.To(probe));

    [Fact]
    public async Task Client_SaysHello_BothSidesAreIdentified_AndPacketsFlowBothWays()
    {
        var serverProbe = CreateTestProbe();
        var clientProbe = CreateTestProbe();
        var server = await StartServer(Settings, serverProbe);
        StartClient(clientProbe).Connect(server.LocalEndPoint);

        var toServer = clientProbe.ExpectMsg<Connected>().Connection;
        var fromClient = serverProbe.ExpectMsg<Connected>().Connection;
        Assert.Equal("tester", serverProbe.ExpectMsg<Identified>().Peer.Name);
        Assert.Equal("tester", clientProbe.ExpectMsg<Identified>().Peer.Name);

        toServer.Tell(new Send(RawPeer.Message("up")));
        Assert.Equal("up", serverProbe.ExpectMsg<Received>().Packet.GetString("TEXT"));
        fromClient.Tell(new Send(RawPeer.Message("down")));
        Assert.Equal("down", clientProbe.ExpectMsg<Received>().Packet.GetString("TEXT"));
    }

    [Fact]
    public async Task ServerCloses_ClientSeesServerClosed_ThenReconnects()
    {
        var serverProbe = CreateTestProbe();
        var clientProbe = CreateTestProbe();
        var server = await StartServer(Settings, serverProbe);
        StartClient(clientProbe).Connect(server.LocalEndPoint);
        clientProbe.ExpectMsg<Connected>();
        var first = serverProbe.ExpectMsg<Connected>().Connection;
        serverProbe.ExpectMsg<Identified>();

        first.Tell(new Close("maintenance"));
        var disconnected = clientProbe.FishForMessage<Disconnected>(_ => true);
        Assert.Equal(DisconnectReason.ServerClosed, disconnected.Reason);
        Assert.Contains("maintenance", disconnected.Detail, StringComparison.Ordinal);
        clientProbe.FishForMessage<Connected>(_ => true);

        // The reconnection can reach the server before the first connection's end does: take both in either order
        // (fishing for one would throw the other away).
        Disconnected? ended = null;
        Connected? again = null;
        while (ended is null || again is null)
        {
            switch (serverProbe.ReceiveOne(RemainingOrDefault))
            {
                case Disconnected message when message.Connection.Equals(first):
                    ended = message;
                    break;
                case Connected message:
                    again = message;
                    break;
                case null:
                    Assert.Fail($"the server saw the end {ended} and the reconnection {again}");
                    break;
            }
        }

        Assert.Equal(DisconnectReason.ServerClosed, ended.Reason);
        Assert.NotEqual(first, again.Connection);
    }

    [Fact]
    public async Task ServerStopsAndComesBack_OnTheSamePort_TheClientReconnects()
    {
        var serverProbe = CreateTestProbe();
        var clientProbe = CreateTestProbe();
        var server = await StartServer(Settings, serverProbe, "first");
        StartClient(clientProbe).Connect(server.LocalEndPoint);
        clientProbe.ExpectMsg<Connected>();

        await server.StopAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(DisconnectReason.ServerClosed, clientProbe.FishForMessage<Disconnected>(_ => true).Reason);

        var samePort = Settings with { Tcp = Settings.Tcp with { Port = server.LocalEndPoint.Port } };
        await StartServer(samePort, serverProbe, "second");
        clientProbe.FishForMessage<Connected>(_ => true, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ServerThatResets_IsADrop_AndTheClientKeepsTrying()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var clientProbe = CreateTestProbe();
        StartClient(clientProbe).Connect((IPEndPoint)listener.LocalEndPoint!);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var accepted = await listener.AcceptAsync();
            clientProbe.ExpectMsg<Connected>();
            accepted.LingerState = new LingerOption(true, 0);
            accepted.Close();
            Assert.Equal(DisconnectReason.Dropped, clientProbe.FishForMessage<Disconnected>(_ => true).Reason);
        }
    }

    [Fact]
    public async Task UnreachableServer_IsRetried_UntilItListens()
    {
        int port;
        using (var probeSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probeSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probeSocket.LocalEndPoint!).Port;
        }

        var clientProbe = CreateTestProbe();
        StartClient(clientProbe).Connect(new IPEndPoint(IPAddress.Loopback, port));
        // A refused attempt tells the handler so (never Connected nor Disconnected: there was no connection), and is retried.
        var refused = clientProbe.ExpectMsg<ConnectAttemptFailed>();
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), refused.Remote);
        await StartServer(Settings with { Tcp = Settings.Tcp with { Port = port } }, CreateTestProbe());
        clientProbe.FishForMessage(message => message switch
        {
            ConnectAttemptFailed => false,
            Connected => true,
            _ => throw new Xunit.Sdk.XunitException($"expected only failed attempts before Connected, got {message}"),
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task OneClient_HoldsConnectionsToSeveralServers()
    {
        var clientProbe = CreateTestProbe();
        var first = await StartServer(Settings, CreateTestProbe(), "one");
        var second = await StartServer(Settings, CreateTestProbe(), "two");
        var client = StartClient(clientProbe);
        client.Connect(first.LocalEndPoint);
        client.Connect(second.LocalEndPoint);
        var endpoints = new[] { clientProbe.FishForMessage<Connected>(_ => true), clientProbe.FishForMessage<Connected>(_ => true) }
            .Select(connected => connected.Peer.EndPoint.Port)
            .Order();
        Assert.Equal(new[] { first.LocalEndPoint.Port, second.LocalEndPoint.Port }.Order(), endpoints);
    }

    [Fact]
    public async Task DisconnectFrom_SaysDisconnect_IsRequestedOnBothSides_AndDoesNotReconnect()
    {
        var serverProbe = CreateTestProbe();
        var clientProbe = CreateTestProbe();
        var server = await StartServer(Settings, serverProbe);
        var client = StartClient(clientProbe);
        client.Connect(server.LocalEndPoint);
        clientProbe.ExpectMsg<Connected>();
        serverProbe.ExpectMsg<Connected>();
        clientProbe.ExpectMsg<Identified>();

        client.Node.Tell(new DisconnectFrom(server.LocalEndPoint));
        Assert.Equal(DisconnectReason.Requested, clientProbe.ExpectMsg<Disconnected>().Reason);
        Assert.Equal(DisconnectReason.Requested, serverProbe.FishForMessage<Disconnected>(_ => true).Reason);
        clientProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task AClientOfAnotherApp_IsRejected_AndDoesNotRetry()
    {
        var clientProbe = CreateTestProbe();
        var server = await StartServer(Settings, CreateTestProbe());
        var otherApp = Settings with { Node = Settings.Node with { App = "another-game" } };
        StartClient(clientProbe, otherApp).Connect(server.LocalEndPoint);
        clientProbe.ExpectMsg<Connected>();
        var disconnected = clientProbe.ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.Rejected, disconnected.Reason);
        Assert.Contains("spec-app", disconnected.Detail, StringComparison.Ordinal);
        clientProbe.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }
}
