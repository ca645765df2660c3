using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Nodes;

/// <summary>Peers are servers that also dial out: one handler sees both directions.</summary>
public sealed class PeerNodeSpec(ITestOutputHelper output) : LanTestKit("lan.tcp { port = 0, close-timeout = 300ms }", output)
{
    [Fact]
    public async Task TwoPeers_OneDialsTheOther_BothHandlersSeeTheLink_AndStoppingOneSaysDisconnect()
    {
        var settings = LanNodeSettings.FromConfig(LanConfig);
        var aliceProbe = CreateTestProbe();
        var bobProbe = CreateTestProbe();
        var alice = await LanNode.StartPeerAsync(Sys, settings with { Node = settings.Node with { Name = "alice" } }, Forwarder.To(aliceProbe), "alice");
        var bob = await LanNode.StartPeerAsync(Sys, settings with { Node = settings.Node with { Name = "bob" } }, Forwarder.To(bobProbe), "bob");

        alice.Connect(bob.LocalEndPoint);
        var outbound = aliceProbe.ExpectMsg<Connected>();
        Assert.False(outbound.Peer.Inbound);
        var inbound = bobProbe.ExpectMsg<Connected>();
        Assert.True(inbound.Peer.Inbound);
        Assert.Equal("alice", bobProbe.ExpectMsg<Identified>().Peer.Name);
        Assert.Equal("bob", aliceProbe.ExpectMsg<Identified>().Peer.Name);

        outbound.Connection.Tell(new Send(RawPeer.Message("hi bob")));
        Assert.Equal("hi bob", bobProbe.ExpectMsg<Received>().Packet.GetString("TEXT"));
        inbound.Connection.Tell(new Send(RawPeer.Message("hi alice")));
        Assert.Equal("hi alice", aliceProbe.ExpectMsg<Received>().Packet.GetString("TEXT"));

        await alice.StopAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(DisconnectReason.Requested, bobProbe.ExpectMsg<Disconnected>().Reason);
        Assert.Equal(DisconnectReason.Requested, aliceProbe.ExpectMsg<Disconnected>().Reason);
    }
}
