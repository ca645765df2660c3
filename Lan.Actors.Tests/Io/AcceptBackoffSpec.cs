using System.Net.Sockets;
using System.Runtime.InteropServices;
using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>
/// Out of file descriptors: the listener's accept fails with EMFILE, and it must back off and try again rather
/// than crash. The fault is real: the process's descriptor limit is lowered for a moment, so the spec runs alone.
/// </summary>
[Collection(CountedAloneCollection.Name)]
public sealed partial class AcceptBackoffSpec : LanTestKit
{
    private const int NoFileLimit = 7;
    private readonly ITestOutputHelper _output;

    public AcceptBackoffSpec(ITestOutputHelper output)
        : base("lan.tcp { port = 0 }\nlan.discovery.enabled = off", output) => _output = output;

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out ResourceLimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, in ResourceLimit limit);

    [Fact]
    public async Task AcceptFailsForWantOfDescriptors_TheListenerBacksOffAndRetries_AndTheWaitingClientIsServedAfterwards()
    {
        if (!OperatingSystem.IsLinux())
        {
            _output.WriteLine("skipped: lowers RLIMIT_NOFILE with setrlimit(2)");
            return;
        }

        var handler = new PacketProbe(this);
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), handler.HandlerProps);
        // The client's socket exists before the limit drops: connecting needs no new descriptor, accepting does.
        using var client = new Socket(server.LocalEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        Assert.Equal(0, getrlimit(NoFileLimit, out var original));
        try
        {
            await EventFilter.Warning(contains: "accepting failed").ExpectAsync(1, async () =>
            {
                // Below every descriptor number in use but stdin, stdout and stderr: the kernel hands out the lowest
                // free number, so a limit at the current count could still fit the accept into a hole.
                Assert.Equal(0, setrlimit(NoFileLimit, new ResourceLimit { Current = 3, Maximum = original.Maximum }));
                await client.ConnectAsync(server.LocalEndPoint);
            });
            handler.Events.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        }
        finally
        {
            setrlimit(NoFileLimit, original);
        }

        // With descriptors to spare again, the next retry accepts the client that waited in the backlog.
        handler.ExpectConnected();
        server.Node.Tell(GetPeers.Instance);
        Assert.Single(ExpectMsg<Peers>().Connected);
    }
}
