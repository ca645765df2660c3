using System.Net.Sockets;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>
/// Faults a connection must survive or end cleanly on: floods, refusals, a full house. Silence and stalled frames
/// are specified under virtual time, with no waiting (<c>Scenarios/VirtualTimeSpec</c>).
/// </summary>
public sealed class ConnectionFaultSpec(ITestOutputHelper output) : LanTestKit(
    """
    lan.tcp {
      port = 0
      close-timeout = 300ms
      heartbeat-interval = 200ms
      heartbeat-timeout = 2s
      frame-timeout = 500ms
      max-connections = 2
      send-queue-limit = 8
    }
    """, output)
{
    private Task<LanServer> StartServer(bool pullMode = false) =>
        LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(TestActor), new ServerOptions { PullMode = pullMode });

    [Fact]
    public async Task PingFromThePeer_IsAnsweredWithPong_AndNotGivenToTheHandler()
    {
        var server = await StartServer();
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        ExpectMsg<Connected>();
        await peer.SendAsync(Packet.From(new Ping()), RawPeer.Message("after the ping"));
        Assert.Equal(PacketTypes.Pong, (await peer.ReadAsync())!.Type);
        Assert.Equal("after the ping", ExpectMsg<Received>().Packet.GetString("TEXT"));
    }

    [Fact]
    public async Task PastMaxConnections_TheNextIsClosedAtOnce_AndTheListenerCarriesOn()
    {
        var server = await StartServer();
        using var first = await RawPeer.ConnectAsync(server.LocalEndPoint);
        using var second = await RawPeer.ConnectAsync(server.LocalEndPoint);
        ExpectMsg<Connected>();
        ExpectMsg<Connected>();
        Assert.True(await RawPeer.IsResetAtOnceAsync(server.LocalEndPoint), "the connection past lan.tcp.max-connections was served");
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        second.Reset();
        Assert.Equal(DisconnectReason.Dropped, ExpectMsg<Disconnected>().Reason);
        using var later = await RawPeer.ConnectAsync(server.LocalEndPoint);
        ExpectMsg<Connected>();
        await later.SendAsync(RawPeer.Message("room again"));
        Assert.Equal("room again", ExpectMsg<Received>().Packet.GetString("TEXT"));
    }

    [Fact]
    public async Task APeerThatNeverReads_MakesSendsRefusedAsQueueFull_InsteadOfGrowingMemory()
    {
        var server = await StartServer();
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        peer.Socket.ReceiveBufferSize = 4096;
        var connection = ExpectMsg<Connected>().Connection;
        var big = Packet.Create("BLOB").WithContent(new byte[256 * 1024]).Build();
        // The socket buffers fill after a few packets; then at most send-queue-limit (8) wait, and the rest are refused.
        const int sends = 200;
        for (var i = 0; i < sends; i++)
        {
            connection.Tell(new Send(big), TestActor);
        }

        var refused = ReceiveWhile(TimeSpan.FromSeconds(3), message => message as SendRefused, sends).OfType<SendRefused>().ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, refusal => Assert.Equal(SendRefusal.QueueFull, refusal.Reason));
        Assert.True(refused.Count >= sends - 8 - 64, $"only {refused.Count} of {sends} sends were refused");
    }

    [Fact]
    public async Task APacketOverTheProtocolLimits_IsRefusedAsTooLarge()
    {
        var server = await StartServer();
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var connection = ExpectMsg<Connected>().Connection;
        var huge = Packet.Create("BLOB").WithContent(new byte[17 << 20]).Build();
        connection.Tell(new Send(huge), TestActor);
        Assert.Equal(SendRefusal.TooLarge, ExpectMsg<SendRefused>().Reason);
    }

    [Fact]
    public async Task PullMode_GivesOneBatch_AndReadsNoMore_UntilTheHandlerAsks()
    {
        var server = await StartServer(pullMode: true);
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var connection = ExpectMsg<Connected>().Connection;
        await peer.SendAsync(RawPeer.Message("one"));
        Assert.Equal("one", ExpectMsg<Received>().Packet.GetString("TEXT"));
        await peer.SendAsync(RawPeer.Message("two"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        connection.Tell(ResumeReading.Instance, TestActor);
        Assert.Equal("two", ExpectMsg<Received>().Packet.GetString("TEXT"));
    }

    [Fact]
    public async Task ASendFailedByThePeersReset_StillReadsWhatThePeerSaidBefore_SoItsDisconnectIsNotCalledADrop()
    {
        // A busy node can be slower to read a peer's DISCONNECT than to write into the reset that followed it: a starved
        // client, say, whose server's close time-out ran out. Pull mode holds the DISCONNECT unread on purpose here, so
        // the send reaches the reset first on every run.
        var server = await StartServer(pullMode: true);
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var connection = ExpectMsg<Connected>().Connection;
        await peer.SendAsync(RawPeer.Message("last words"));
        Assert.Equal("last words", ExpectMsg<Received>().Packet.GetString("TEXT"));
        await peer.SendAsync(Packet.From(new Disconnect("leaving")));
        peer.Reset();

        // The first write into the reset link fails, or the heartbeat's next ping does.
        connection.Tell(new Send(RawPeer.Message("too late")), TestActor);
        var ended = FishForMessage<Disconnected>(_ => true);
        Assert.Equal(DisconnectReason.Requested, ended.Reason);
        Assert.Contains("leaving", ended.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullMode_ASlowHandler_MakesTcpSlowTheSender_InsteadOfQueueingInMemory()
    {
        var server = await StartServer(pullMode: true);
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        peer.Socket.SendBufferSize = 8192;
        ExpectMsg<Connected>();
        var chunk = RawPeer.Frame(Packet.Create("BLOB").WithContent(new byte[60 * 1024]).Build());
        // The handler never asks for more: after one batch the server stops reading, the kernel buffers
        // fill, and the sender's writes stop completing, so it can never push 64 MiB into the server.
        var sent = 0L;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            while (sent < (64L << 20))
            {
                sent += await peer.Socket.SendAsync(chunk, SocketFlags.None, cancel.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.True(sent < (16L << 20), $"the sender pushed {sent:N0} bytes into a server whose handler read one batch");
        ExpectMsg<Received>();
    }
}
