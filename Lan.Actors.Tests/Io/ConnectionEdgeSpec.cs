using System.Net.Sockets;
using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>A server connection's less travelled paths: what arrives together with a DISCONNECT, closes and resets of this side, late HELLOs.</summary>
public sealed class ConnectionEdgeSpec(ITestOutputHelper output) : LanTestKit("lan.tcp { port = 0, close-timeout = 300ms }", output)
{
    private Task<LanServer> StartServer(bool pullMode = false) =>
        LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(TestActor), new ServerOptions { PullMode = pullMode });

    private async Task<(RawPeer Peer, IActorRef Connection)> ConnectAsync(LanServer server)
    {
        var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        return (peer, ExpectMsg<Connected>().Connection);
    }

    [Fact]
    public async Task PacketsBeforeADisconnect_InTheSameWrite_ReachTheHandler_AndThoseAfterItDoNot()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        await peer.SendAsync(RawPeer.Message("last words"), Packet.From(new Disconnect("bye")), RawPeer.Message("after the end"));
        Assert.Equal("last words", ExpectMsg<Received>().Packet.GetString("TEXT"));
        var disconnected = ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.Requested, disconnected.Reason);
        Assert.Equal("the peer said DISCONNECT: bye", disconnected.Detail);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task AServersLastPackets_SentJustBeforeItsClose_ReachTheClientsHandler()
    {
        var settings = LanNodeSettings.FromConfig(LanConfig);
        var serverProbe = CreateTestProbe();
        var clientProbe = CreateTestProbe();
        var server = await LanNode.StartServerAsync(Sys, settings, Forwarder.To(serverProbe));
        LanNode.StartClient(Sys, settings, Forwarder.To(clientProbe)).Connect(server.LocalEndPoint);
        clientProbe.ExpectMsg<Connected>();
        var toClient = serverProbe.ExpectMsg<Connected>().Connection;
        serverProbe.ExpectMsg<Identified>();
        clientProbe.ExpectMsg<Identified>();

        // Both leave in one write: the outbox coalesces what is queued when the flush runs.
        toClient.Tell(new Send(RawPeer.Message("closing in a minute")));
        toClient.Tell(new Close("maintenance"));
        Assert.Equal("closing in a minute", clientProbe.ExpectMsg<Received>().Packet.GetString("TEXT"));
        var disconnected = clientProbe.ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.ServerClosed, disconnected.Reason);
        Assert.Equal("the peer said DISCONNECT: maintenance", disconnected.Detail);
    }

    // A reset shows as ECONNRESET on the next read; an orderly close as the end of the stream.
    private static async Task<bool> EndsWithAResetAsync(RawPeer peer)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await peer.Socket.ReceiveAsync(buffer, SocketFlags.None) > 0)
            {
            }

            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    [Fact]
    public async Task Close_WithoutAReason_SaysSoToThePeer_AndTheHandler_AsServerClosed()
    {
        var server = await StartServer();
        var (peer, connection) = await ConnectAsync(server);
        connection.Tell(new Close());
        var said = await peer.ReadAsync();
        Assert.Equal(PacketTypes.Disconnect, said!.Type);
        Assert.Equal("closed by this side", said.GetString("REASON"));
        peer.Socket.Shutdown(SocketShutdown.Send);
        var disconnected = ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.ServerClosed, disconnected.Reason);
        Assert.Equal("closed by this side", disconnected.Detail);
    }

    [Fact]
    public async Task SendsAfterClose_AreRefusedAsClosed_AndTheCloseIsNotRepeated()
    {
        var server = await StartServer();
        var (peer, connection) = await ConnectAsync(server);
        connection.Tell(new Close("first"));
        connection.Tell(new Close("second"));
        connection.Tell(new Kick("anon-1"));
        var late = RawPeer.Message("too late");
        connection.Tell(new Send(late), TestActor);
        var refused = ExpectMsg<SendRefused>();
        Assert.Equal(SendRefusal.Closed, refused.Reason);
        Assert.Same(late, refused.Packet);
        Assert.Equal([PacketTypes.Disconnect], (await peer.ReadToEndAsync()).Select(packet => packet.Type));
        Assert.Equal("first", ExpectMsg<Disconnected>().Detail);
    }

    [Fact]
    public async Task Abort_ResetsTheLink_AndTellsTheHandlerAborted()
    {
        var server = await StartServer();
        var (peer, connection) = await ConnectAsync(server);
        connection.Tell(Abort.Instance);
        var disconnected = ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.Aborted, disconnected.Reason);
        Assert.Equal("aborted by this side", disconnected.Detail);
        Assert.True(await EndsWithAResetAsync(peer));
    }

    [Fact]
    public async Task APeerBreakingTheProtocol_IsReset_NotClosedInOrder()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        await peer.SendBytesAsync([0, 0, 0, 2, (byte)'[', (byte)']']);
        Assert.Equal(DisconnectReason.ProtocolError, ExpectMsg<Disconnected>().Reason);
        Assert.True(await EndsWithAResetAsync(peer));
    }

    [Fact]
    public async Task APeersDisconnectWithoutAReason_IsRequested_WithAPlainDetail()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        await peer.SendAsync(Packet.From(new Disconnect("")));
        var disconnected = ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.Requested, disconnected.Reason);
        Assert.Equal("the peer said DISCONNECT", disconnected.Detail);
    }

    [Fact]
    public async Task AHelloThatIsNotTheFirstPacket_IsNoHandshake_AndReachesTheHandler()
    {
        var server = await StartServer();
        var (peer, connection) = await ConnectAsync(server);
        await peer.SendAsync(RawPeer.Message("anonymous"), Packet.From(new Hello("late-id", "late", "lan")));
        Assert.Equal("anonymous", ExpectMsg<Received>().Packet.GetString("TEXT"));
        Assert.Equal(PacketTypes.Hello, ExpectMsg<Received>().Packet.Type);
        connection.Tell(new Send(RawPeer.Message("no welcome before this")));
        Assert.Equal("no welcome before this", (await peer.ReadAsync())!.GetString("TEXT"));
    }

    [Fact]
    public async Task ASecondHello_IsGivenToTheHandler_NotAnsweredAgain()
    {
        var server = await StartServer();
        var (peer, connection) = await ConnectAsync(server);
        await peer.SendAsync(Packet.From(new Hello("id-1", "ana", "lan")), Packet.From(new Hello("id-2", "eve", "lan")));
        Assert.Equal(PacketTypes.Welcome, (await peer.ReadAsync())!.Type);
        Assert.Equal("id-1", ExpectMsg<Identified>().Peer.Id);
        Assert.Equal("id-2", ExpectMsg<Received>().Packet.GetString("ID"));
        connection.Tell(new Send(RawPeer.Message("one welcome only")));
        Assert.Equal("one welcome only", (await peer.ReadAsync())!.GetString("TEXT"));
    }

    [Fact]
    public async Task AMalformedHello_IsRejected_NamingTheProblem()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        await peer.SendAsync(Packet.Create(PacketTypes.Hello).Set("ID", 5).Set("NAME", "n").Set("APP", "lan").Build());
        var reject = await peer.ReadAsync();
        Assert.Equal(PacketTypes.Reject, reject!.Type);
        Assert.StartsWith("a malformed HELLO: ", reject.GetString("REASON"), StringComparison.Ordinal);
        var disconnected = ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.Rejected, disconnected.Reason);
        Assert.StartsWith("a malformed HELLO: ", disconnected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullMode_ABatchOfOnlyPings_DoesNotWaitForTheHandler()
    {
        var server = await StartServer(pullMode: true);
        var (peer, _) = await ConnectAsync(server);
        await peer.SendAsync(Packet.From(new Ping()));
        Assert.Equal(PacketTypes.Pong, (await peer.ReadAsync())!.Type);
        await peer.SendAsync(RawPeer.Message("read without asking"));
        Assert.Equal("read without asking", ExpectMsg<Received>().Packet.GetString("TEXT"));
    }

    [Fact]
    public async Task PullMode_ResumeReading_FreesOneBatch_HoweverOftenItIsSent()
    {
        var server = await StartServer(pullMode: true);
        var (peer, connection) = await ConnectAsync(server);
        // Asked before anything was held: nothing to free.
        connection.Tell(ResumeReading.Instance);
        await peer.SendAsync(RawPeer.Message("one"));
        Assert.Equal("one", ExpectMsg<Received>().Packet.GetString("TEXT"));
        connection.Tell(ResumeReading.Instance);
        connection.Tell(ResumeReading.Instance);
        await peer.SendAsync(RawPeer.Message("two"));
        Assert.Equal("two", ExpectMsg<Received>().Packet.GetString("TEXT"));
        await peer.SendAsync(RawPeer.Message("three"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        connection.Tell(ResumeReading.Instance);
        Assert.Equal("three", ExpectMsg<Received>().Packet.GetString("TEXT"));
    }

    [Fact]
    public async Task PeerStats_CountPingsAndPongs_AndDateTheLastBytesBetweenConnectAndNow()
    {
        var server = await StartServer();
        var (peer, connection) = await ConnectAsync(server);
        await peer.SendAsync(Packet.From(new Ping()), Packet.From(new Pong()), RawPeer.Message("counted"));
        Assert.Equal(PacketTypes.Pong, (await peer.ReadAsync())!.Type);
        Assert.Equal("counted", ExpectMsg<Received>().Packet.GetString("TEXT"));
        var stats = await connection.Ask<PeerStats>(GetPeerStats.Instance, TimeSpan.FromSeconds(3));
        Assert.Equal(3, stats.PacketsIn);
        Assert.Equal(1, stats.PacketsOut);
        Assert.Equal(RawPeer.Frame(Packet.From(new Ping()), Packet.From(new Pong()), RawPeer.Message("counted")).Length, stats.BytesIn);
        Assert.Equal(RawPeer.Frame(Packet.From(new Pong())).Length, stats.BytesOut);
        Assert.InRange(stats.LastReceived, stats.ConnectedAt.AddMilliseconds(-20), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task PeerStats_CountEveryByteOfAFrame_ThatArrivesOverManyReads()
    {
        var server = await StartServer();
        var (peer, connection) = await ConnectAsync(server);
        // Larger than one read of the connection's buffer, so most reads finish no frame.
        var big = Packet.Create("BLOB").WithContent(new byte[300_000]).Build();
        await peer.SendAsync(big);
        Assert.Equal(300_000, ExpectMsg<Received>().Packet.Content.Length);
        var stats = await connection.Ask<PeerStats>(GetPeerStats.Instance, TimeSpan.FromSeconds(3));
        Assert.Equal(RawPeer.Frame(big).Length, stats.BytesIn);
    }

    [Fact]
    public async Task AClient_NamesTheServerByItsAddress_UntilItsWelcomeGivesItsIdAndName()
    {
        var settings = LanNodeSettings.FromConfig(LanConfig);
        var server = await LanNode.StartServerAsync(Sys, settings with { Node = settings.Node with { Id = "srv-id", Name = "srv" } }, Forwarder.To(CreateTestProbe()));
        var clientProbe = CreateTestProbe();
        LanNode.StartClient(Sys, settings with { Node = settings.Node with { Id = "cli-id", Name = "cli" } }, Forwarder.To(clientProbe)).Connect(server.LocalEndPoint);
        var connected = clientProbe.ExpectMsg<Connected>();
        Assert.False(connected.Peer.Inbound);
        Assert.Equal((server.LocalEndPoint.ToString(), ""), (connected.Peer.Id, connected.Peer.Name));
        var identified = clientProbe.ExpectMsg<Identified>();
        Assert.Equal(("srv-id", "srv"), (identified.Peer.Id, identified.Peer.Name));
        // The WELCOME itself is the connection's, never the handler's.
        identified.Connection.Tell(new Send(RawPeer.Message("after the welcome")));
        server.Node.Tell(new SendToAll(RawPeer.Message("from the server")));
        Assert.Equal("from the server", clientProbe.ExpectMsg<Received>().Packet.GetString("TEXT"));
    }

    [Fact]
    public async Task AServerEndingItsStream_WithoutDisconnect_IsServerClosed_ForTheClient()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen();
        var clientProbe = CreateTestProbe();
        LanNode.StartClient(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(clientProbe)).Connect((System.Net.IPEndPoint)listener.LocalEndPoint!);
        using var accepted = await listener.AcceptAsync();
        clientProbe.ExpectMsg<Connected>();
        accepted.Shutdown(SocketShutdown.Send);
        var disconnected = clientProbe.ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.ServerClosed, disconnected.Reason);
        Assert.Equal("the server closed the connection without DISCONNECT", disconnected.Detail);
    }

    [Fact]
    public async Task AClientEndingItsStream_WithoutDisconnect_IsADrop_SaidSo()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        peer.Socket.Shutdown(SocketShutdown.Send);
        var disconnected = ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.Dropped, disconnected.Reason);
        Assert.Equal("the client closed its side without DISCONNECT", disconnected.Detail);
    }

    [Fact]
    public async Task AConnectionStoppedByItsParent_IsAShutdown_SaidSo()
    {
        var server = await StartServer();
        var (peer, connection) = await ConnectAsync(server);
        using var held = peer;
        Sys.Stop(connection);
        var disconnected = ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.Shutdown, disconnected.Reason);
        Assert.Equal("the node stopped the connection", disconnected.Detail);
    }

    [Fact]
    public async Task ABurstLargerThanTheSocketBuffers_ReachesAPeerThatReadsLate_WholeAndInOrder()
    {
        var server = await StartServer();
        var (peer, connection) = await ConnectAsync(server);
        // Twenty 256 KiB packets do not fit the kernel's buffers: sends stay pending until the peer reads.
        var packets = Enumerable.Range(0, 20).Select(i => Packet.Create("BLOB").Set("N", i).WithContent(new byte[256 * 1024]).Build()).ToList();
        foreach (var packet in packets)
        {
            connection.Tell(new Send(packet));
        }

        connection.Tell(new Close("done"));
        var received = await peer.ReadToEndAsync();
        Assert.Equal([.. Enumerable.Range(0, 20), -1], received.Select(packet => packet.TryGet<int>("N", out var n) ? n : -1));
        Assert.All(received.Take(20), packet => Assert.Equal(256 * 1024, packet.Content.Length));
        Assert.Equal(PacketTypes.Disconnect, received[^1].Type);
    }

    [Fact]
    public async Task AClient_DoesNotReconnect_ToAServerThatBrokeTheProtocol()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen();
        var clientProbe = CreateTestProbe();
        var client = LanNode.StartClient(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(clientProbe));
        client.Connect((System.Net.IPEndPoint)listener.LocalEndPoint!);
        using var accepted = await listener.AcceptAsync();
        clientProbe.ExpectMsg<Connected>();
        var connector = await Sys.ActorSelection(client.Node.Path / "connector-1").ResolveOne(TimeSpan.FromSeconds(3));
        Watch(connector);
        await accepted.SendAsync(new byte[] { 0, 0, 0, 2, (byte)'[', (byte)']' }, SocketFlags.None);
        Assert.Equal(DisconnectReason.ProtocolError, clientProbe.ExpectMsg<Disconnected>().Reason);
        ExpectTerminated(connector);
    }
}
