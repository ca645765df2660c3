using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>With <c>lan.tcp.require-hello = on</c>, a peer must say who it is before anything else.</summary>
public sealed class RequireHelloSpec(ITestOutputHelper output) : LanTestKit("lan.tcp { port = 0, close-timeout = 300ms, require-hello = on }", output)
{
    [Fact]
    public async Task APeerThatOpensWithoutHello_IsRejected_AndItsPacketNeverReachesTheHandler()
    {
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(TestActor));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        ExpectMsg<Connected>();
        await peer.SendAsync(RawPeer.Message("let me in"));
        var reject = await peer.ReadAsync();
        Assert.Equal(PacketTypes.Reject, reject!.Type);
        Assert.Contains("require-hello", reject.GetString("REASON"), StringComparison.Ordinal);
        Assert.Equal(DisconnectReason.Rejected, ExpectMsg<Disconnected>().Reason);
    }

    [Fact]
    public async Task APeerThatOpensWithHello_IsWelcomed()
    {
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(TestActor));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        ExpectMsg<Connected>();
        await peer.SendAsync(Packet.From(new Hello("id-1", "ana", "lan")), RawPeer.Message("now let me in"));
        Assert.Equal(PacketTypes.Welcome, (await peer.ReadAsync())!.Type);
        ExpectMsg<Identified>();
        Assert.Equal("now let me in", ExpectMsg<Received>().Packet.GetString("TEXT"));
    }

    [Fact]
    public async Task APingFirst_OpensNoWayAroundTheHandshake_ThePacketAfterItIsRejectedToo()
    {
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(TestActor));
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        ExpectMsg<Connected>();
        await peer.SendAsync(Packet.From(new Ping()), RawPeer.Message("in through the side door"));
        Assert.Equal(PacketTypes.Pong, (await peer.ReadAsync(skipPings: false))!.Type);
        Assert.Equal(PacketTypes.Reject, (await peer.ReadAsync())!.Type);
        Assert.Equal(DisconnectReason.Rejected, ExpectMsg<Disconnected>().Reason);
    }
}
