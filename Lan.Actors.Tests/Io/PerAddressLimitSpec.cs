using System.Net;
using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>
/// One host cannot lock everyone out: past <c>lan.tcp.max-connections-per-address</c> its next connection is reset at
/// once and counted, while another address is still served. Before the limit, 10,050 connections from one address
/// filled <c>max-connections</c> and every legitimate peer was refused.
/// </summary>
public sealed class PerAddressLimitSpec(ITestOutputHelper output) : LanTestKit(
    "lan.tcp { port = 0, max-connections = 100, max-connections-per-address = 3 }", output)
{
    private static readonly IPAddress OtherHost = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task PastItsLimit_AnAddressIsRefusedAtOnceAndCounted_WhileAnotherAddressIsServed_AndAPlaceFreedIsTakenAgain()
    {
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(TestActor));
        var flood = new List<RawPeer>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                flood.Add(await RawPeer.ConnectAsync(server.LocalEndPoint));
                ExpectMsg<Connected>();
            }

            Assert.True(await RawPeer.IsResetAtOnceAsync(server.LocalEndPoint, IPAddress.Loopback), "a 4th connection from 127.0.0.1 was served");
            Assert.True(await RawPeer.IsResetAtOnceAsync(server.LocalEndPoint, IPAddress.Loopback), "a 5th connection from 127.0.0.1 was served");

            using var legitimate = await RawPeer.ConnectAsync(server.LocalEndPoint, OtherHost);
            Assert.Equal(IPAddress.Parse("127.0.0.2"), ExpectMsg<Connected>().Peer.EndPoint.Address);
            Assert.Equal(2, (await server.Node.Ask<Peers>(GetPeers.Instance, RemainingOrDefault)).RefusedConnections);

            flood[0].Reset();
            ExpectMsg<Disconnected>();
            // The listener frees the place when it hears that the connection actor stopped, just after the handler hears.
            await AwaitAssertAsync(async () => Assert.Equal(3, (await server.Node.Ask<Peers>(GetPeers.Instance, RemainingOrDefault)).Connected.Count));
            using var again = await RawPeer.ConnectAsync(server.LocalEndPoint);
            ExpectMsg<Connected>();
        }
        finally
        {
            flood.ForEach(peer => peer.Dispose());
        }
    }
}
