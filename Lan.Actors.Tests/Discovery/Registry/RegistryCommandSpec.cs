using System.Net;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Lan.Actors.Tests.Commands;
using Lan.Node.Commands;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Discovery.Registry;

/// <summary><c>lan-node registry</c>, run in-process on loopback: it serves the list, and stops cleanly when cancelled.</summary>
[Collection(ProcessLoggingCollection.Name)]
public sealed class RegistryCommandSpec(ITestOutputHelper output) : LanTestKit("lan.tcp { port = 0, close-timeout = 300ms }\nlan.discovery.enabled = off", output)
{
    [Fact]
    public async Task Registry_ListsNodesToWhoeverConnects_AndExitsWith0_WhenCancelled()
    {
        var port = LanTestConfiguration.FreeTcpPort();
        using var printed = new StringWriter();
        using var stop = new CancellationTokenSource();
        var running = RegistryCommand.RunAsync(LanTestConfiguration.Build($"lan.tcp.port = {port}"), printed, stop.Token);

        var client = LanNode.StartClient(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(TestActor), "asker");
        client.Connect(new IPEndPoint(IPAddress.Loopback, port));
        FishForMessage<Received>(received => received.Packet.Type == "REGISTRY_LIST", TimeSpan.FromSeconds(10));

        await stop.CancelAsync();
        Assert.Equal(0, await running);
        Assert.Contains($"registry listening on 127.0.0.1:{port}", printed.ToString(), StringComparison.Ordinal);
        // The registry said goodbye on its way out rather than vanishing.
        Assert.Equal(DisconnectReason.ServerClosed, FishForMessage<Disconnected>(_ => true, TimeSpan.FromSeconds(10)).Reason);
        await client.StopAsync(TimeSpan.FromSeconds(5));
    }
}
