using System.Buffers.Binary;
using System.Text;
using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>A server node over real loopback sockets, driven by raw peers that misbehave on purpose.</summary>
public sealed class ServerConnectionSpec(ITestOutputHelper output) : LanTestKit("lan.tcp { port = 0, close-timeout = 300ms }", output)
{
    private Task<LanServer> StartServer(HandlerMode mode = HandlerMode.Shared, Props? handler = null) =>
        LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig),
            handler ?? (mode == HandlerMode.Shared ? Forwarder.To(TestActor) : Forwarder.Announcing(TestActor)), new ServerOptions { Mode = mode });

    private async Task<(RawPeer Peer, IActorRef Connection)> ConnectAsync(LanServer server)
    {
        var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var connected = ExpectMsg<Connected>();
        Assert.True(connected.Peer.Inbound);
        return (peer, connected.Connection);
    }

    [Fact]
    public async Task Packets_ReachTheHandler_InOrder_AndRepliesReachThePeer()
    {
        var server = await StartServer();
        var (peer, connection) = await ConnectAsync(server);
        await peer.SendAsync([.. Enumerable.Range(0, 50).Select(i => RawPeer.Message($"line {i}"))]);
        for (var i = 0; i < 50; i++)
        {
            var received = ExpectMsg<Received>();
            Assert.Equal(connection, received.Connection);
            Assert.Equal($"line {i}", received.Packet.GetString("TEXT"));
        }

        connection.Tell(new Send(RawPeer.Message("hello back")));
        Assert.Equal("hello back", (await peer.ReadAsync())!.GetString("TEXT"));
    }

    [Fact]
    public async Task AnAnonymousPeer_HasOneName_TheOneTheLogsUse_FromConnectedToDisconnected()
    {
        var server = await StartServer();
        var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var connected = ExpectMsg<Connected>();
        Assert.StartsWith("anon-", connected.Peer.Name, StringComparison.Ordinal);
        Assert.Equal(connected.Peer.Id, connected.Peer.Name);

        EventFilter.Info(start: $"{connected.Peer.Name} at {connected.Peer.EndPoint} disconnected: Dropped (").ExpectOne(() =>
        {
            peer.Reset();
            Assert.Equal(connected.Peer.Name, ExpectMsg<Disconnected>().Peer.Name);
        });
    }

    [Fact]
    public async Task AnOutboundConnection_SaysOnceWhereItConnected_NotItsOwnAddressTwice()
    {
        var server = await StartServer();
        var client = LanNode.StartClient(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(TestActor), "outbound");
        EventFilter.Info(message: $"connected to {server.LocalEndPoint}").ExpectOne(() =>
        {
            client.Connect(server.LocalEndPoint);
            var connected = 0;
            FishForMessage(message => message is Connected && ++connected == 2); // the server's side and the client's

        });
    }

    [Fact]
    public async Task StickyAndSplitFrames_DecodeToTheSamePackets()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        var content = Packet.Create("BLOB").Set("N", 7).WithContent(new byte[] { 1, 2, 3, 4, 5 }).Build();
        var bytes = RawPeer.Frame(RawPeer.Message("a"), content, RawPeer.Message("b"));
        // Every frame split byte by byte, then the same three stuck together in one write.
        foreach (var single in bytes)
        {
            await peer.SendBytesAsync([single]);
        }

        await peer.SendBytesAsync(bytes);
        for (var round = 0; round < 2; round++)
        {
            Assert.Equal("a", ExpectMsg<Received>().Packet.GetString("TEXT"));
            var blob = ExpectMsg<Received>().Packet;
            Assert.Equal("BLOB", blob.Type);
            Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, blob.Content.ToArray());
            Assert.Equal("b", ExpectMsg<Received>().Packet.GetString("TEXT"));
        }
    }

    [Fact]
    public async Task ClientReset_StopsOnlyThatConnection_AndTellsTheHandlerDropped()
    {
        var server = await StartServer();
        var (leaving, leavingConnection) = await ConnectAsync(server);
        var (staying, stayingConnection) = await ConnectAsync(server);
        leaving.Reset();
        var disconnected = ExpectMsg<Disconnected>();
        Assert.Equal(leavingConnection, disconnected.Connection);
        Assert.Equal(DisconnectReason.Dropped, disconnected.Reason);

        await staying.SendAsync(RawPeer.Message("still here"));
        var received = ExpectMsg<Received>();
        Assert.Equal(stayingConnection, received.Connection);
    }

    [Fact]
    public async Task ClientEndOfStream_MidFrame_IsADrop()
    {
        var server = await StartServer();
        var (peer, connection) = await ConnectAsync(server);
        var frame = RawPeer.Frame(RawPeer.Message("cut short"));
        await peer.SendBytesAsync(frame[..(frame.Length / 2)]);
        peer.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        var disconnected = ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.Dropped, disconnected.Reason);
        Assert.Contains("mid-frame", disconnected.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientEndOfStream_BetweenFrames_WithoutDisconnect_IsADrop()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        await peer.SendAsync(RawPeer.Message("last words"));
        peer.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        ExpectMsg<Received>();
        Assert.Equal(DisconnectReason.Dropped, ExpectMsg<Disconnected>().Reason);
    }

    [Fact]
    public async Task AHelloWithANameOfAFifthOfAMegabyte_IsRejected_AndTheHandlerNeverHoldsIt()
    {
        // Before (checked on 33a1bbc): taken, and the 200,000-character name went on in Identified, every PeerInfo and log line.
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        await peer.SendAsync(Packet.From(new Hello("mallory-id", new string('m', 200_000), "lan")));

        var reject = await peer.ReadAsync();
        Assert.Equal(PacketTypes.Reject, reject!.Type);
        Assert.Equal("a HELLO with a NAME of 200000 characters (at most 128)", reject.GetString("REASON"));
        var ended = FishForMessage<Disconnected>(message => message is Disconnected, hint: "no Identified before it");
        Assert.Equal(DisconnectReason.Rejected, ended.Reason);
    }

    [Fact]
    public async Task APeersDisconnectReason_IsKeptToItsFirst256Characters()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        await peer.SendAsync(Packet.From(new Disconnect(new string('r', 200_000))));

        var ended = ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.Requested, ended.Reason);
        Assert.Equal("the peer said DISCONNECT: " + new string('r', 256) + "…", ended.Detail);
    }

    [Fact]
    public async Task ClientDisconnect_IsRequested_AndTheServerClosesItsSide()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        await peer.SendAsync(Packet.From(new Disconnect("bye")));
        var disconnected = ExpectMsg<Disconnected>();
        Assert.Equal(DisconnectReason.Requested, disconnected.Reason);
        Assert.Contains("bye", disconnected.Detail, StringComparison.Ordinal);
        Assert.Null(await peer.ReadAsync());
    }

    [Fact]
    public async Task ALastMessage_SentInOneWriteWithTheDisconnect_StillReachesTheHandler_BeforeDisconnected()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        // One write, so both packets are read in one batch: the message must not be dropped with the end.
        await peer.SendAsync(RawPeer.Message("last words"), Packet.From(new Disconnect("bye")));
        Assert.Equal("last words", ExpectMsg<Received>().Packet.GetString("TEXT"));
        Assert.Equal(DisconnectReason.Requested, ExpectMsg<Disconnected>().Reason);
    }

    [Fact]
    public async Task BadFrame_StopsOnlyThatConnection_WithTheProtocolReason()
    {
        var server = await StartServer();
        var (bad, badConnection) = await ConnectAsync(server);
        var (good, _) = await ConnectAsync(server);
        await bad.SendBytesAsync([0, 0, 0, 2, (byte)'[', (byte)']']);
        var disconnected = ExpectMsg<Disconnected>();
        Assert.Equal(badConnection, disconnected.Connection);
        Assert.Equal(DisconnectReason.ProtocolError, disconnected.Reason);
        Assert.StartsWith(nameof(ProtocolError.NotAnObject), disconnected.Detail, StringComparison.Ordinal);
        await good.SendAsync(RawPeer.Message("unaffected"));
        Assert.Equal("unaffected", ExpectMsg<Received>().Packet.GetString("TEXT"));
    }

    [Fact]
    public async Task HandlerWatchingItsConnection_GetsTerminated_AfterDisconnected()
    {
        var server = await StartServer(handler: Forwarder.Watching(TestActor));
        var (peer, connection) = await ConnectAsync(server);
        peer.Reset();
        ExpectMsg<Disconnected>();
        // The handler's own death watch fired after it was told why.
        Assert.Equal(connection, ExpectMsg<HandlerSawTerminated>().Actor);
    }

    [Fact]
    public async Task SendToAll_ReachesEveryPeer_ButTheOneLeftOut()
    {
        var server = await StartServer();
        var (first, firstConnection) = await ConnectAsync(server);
        var (second, _) = await ConnectAsync(server);
        var (third, _) = await ConnectAsync(server);
        server.Node.Tell(new SendToAll(RawPeer.Message("to all but the first"), Except: firstConnection));
        server.Node.Tell(new SendToAll(RawPeer.Message("to all")));
        Assert.Equal("to all but the first", (await second.ReadAsync())!.GetString("TEXT"));
        Assert.Equal("to all but the first", (await third.ReadAsync())!.GetString("TEXT"));
        Assert.Equal("to all", (await first.ReadAsync())!.GetString("TEXT"));
        Assert.Equal("to all", (await second.ReadAsync())!.GetString("TEXT"));
        Assert.Equal("to all", (await third.ReadAsync())!.GetString("TEXT"));
    }

    [Fact]
    public async Task Kick_SaysDisconnectToThePeer_AndTellsTheHandlerKicked()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        server.Node.Tell(GetPeers.Instance);
        var id = ExpectMsg<Peers>().Connected.Single().Peer.Id;
        server.Node.Tell(new Kick(id, "too loud"));
        var said = await peer.ReadAsync();
        Assert.Equal(PacketTypes.Disconnect, said!.Type);
        Assert.Equal("too loud", said.GetString("REASON"));
        Assert.Equal(DisconnectReason.Kicked, ExpectMsg<Disconnected>().Reason);
    }

    [Fact]
    public async Task GetPeers_ListsEachPeer_WithItsHelloIdentity_AndTraffic()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        await peer.SendAsync(Packet.From(new Hello("id-42", "ana", "lan")), RawPeer.Message("hi"));
        Assert.Equal(PacketTypes.Welcome, (await peer.ReadAsync())!.Type);
        var identified = ExpectMsg<Identified>();
        Assert.Equal("ana", identified.Peer.Name);
        ExpectMsg<Received>();
        server.Node.Tell(GetPeers.Instance);
        var stats = ExpectMsg<Peers>().Connected.Single();
        Assert.Equal("id-42", stats.Peer.Id);
        Assert.Equal("ana", stats.Peer.Name);
        Assert.Equal(2, stats.PacketsIn);
        Assert.Equal(1, stats.PacketsOut);
        Assert.True(stats.BytesIn > 0 && stats.BytesOut > 0);

        // SendTo finds the peer by the id its HELLO gave.
        server.Node.Tell(new SendTo("id-42", RawPeer.Message("just you")));
        Assert.Equal("just you", (await peer.ReadAsync())!.GetString("TEXT"));
    }

    [Fact]
    public async Task HelloOfAnotherApp_IsRejected_AndTheConnectionCloses()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        await peer.SendAsync(Packet.From(new Hello("x", "intruder", "another-game")));
        var reject = await peer.ReadAsync();
        Assert.Equal(PacketTypes.Reject, reject!.Type);
        Assert.Contains("another-game", reject.GetString("REASON"), StringComparison.Ordinal);
        Assert.Equal(DisconnectReason.Rejected, ExpectMsg<Disconnected>().Reason);
    }

    [Fact]
    public async Task HelloWithAHugeApp_IsRejected_WithAReasonAndGoodbyeThePeerCanDecode()
    {
        var server = await StartServer();
        var (peer, _) = await ConnectAsync(server);
        // 180,000 DEL characters travel raw (JSON needs no escape for them) but an encoder writes each as \u007F:
        // quoted whole in the REJECT's or DISCONNECT's reason they would make a frame over the peer's 1 MiB limit.
        var json = Encoding.UTF8.GetBytes("{\"TYPE\":\"HELLO\",\"ID\":\"x\",\"NAME\":\"n\",\"APP\":\"" + new string('\u007f', 180_000) + "\"}");
        var frame = new byte[FrameEncoder.PrefixLength + json.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, json.Length);
        json.CopyTo(frame, FrameEncoder.PrefixLength);
        await peer.SendBytesAsync(frame);

        var reject = await peer.ReadAsync();
        Assert.Equal(PacketTypes.Reject, reject!.Type);
        Assert.InRange(reject.Json.Length, 1, 2_000);
        var goodbye = await peer.ReadAsync();
        Assert.Equal(PacketTypes.Disconnect, goodbye!.Type);
        Assert.Equal(DisconnectReason.Rejected, ExpectMsg<Disconnected>().Reason);
    }

    [Fact]
    public async Task Close_WithAReasonTooLargeForThePeer_StillSaysDisconnect_WithoutTheReason()
    {
        var server = await StartServer();
        var (peer, connection) = await ConnectAsync(server);

        connection.Tell(new Close(new string('r', 2 * 1024 * 1024)));

        var goodbye = await peer.ReadAsync();
        Assert.Equal(PacketTypes.Disconnect, goodbye!.Type);
        Assert.Null(goodbye.As<Disconnect>().Reason);
        Assert.Equal(DisconnectReason.ServerClosed, ExpectMsg<Disconnected>().Reason);
    }

    [Fact]
    public async Task PerConnectionHandlers_EachServeOneConnection_AndStopAfterItsDisconnected()
    {
        var server = await StartServer(HandlerMode.PerConnection);
        var first = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var firstHandler = ExpectMsg<HandlerStarted>().Handler;
        ExpectMsg<Connected>();
        using var second = await RawPeer.ConnectAsync(server.LocalEndPoint);
        Assert.NotEqual(firstHandler, ExpectMsg<HandlerStarted>().Handler);
        ExpectMsg<Connected>();
        Watch(firstHandler);
        first.Reset();
        ExpectMsg<Disconnected>();
        ExpectTerminated(firstHandler);
    }

    [Fact]
    public async Task StopAsync_SaysDisconnectToEveryPeer_ThenStops()
    {
        var server = await StartServer();
        var (first, _) = await ConnectAsync(server);
        var (second, _) = await ConnectAsync(server);
        var stopping = server.StopAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(PacketTypes.Disconnect, (await first.ReadAsync())!.Type);
        Assert.Equal(PacketTypes.Disconnect, (await second.ReadAsync())!.Type);
        first.Dispose();
        second.Dispose();
        await stopping;
        Assert.Equal(DisconnectReason.Shutdown, ExpectMsg<Disconnected>().Reason);
        Assert.Equal(DisconnectReason.Shutdown, ExpectMsg<Disconnected>().Reason);
    }
}
