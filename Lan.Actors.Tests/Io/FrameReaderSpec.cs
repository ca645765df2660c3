using System.Net.Sockets;
using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Io;

/// <summary>The read side's own bookkeeping, apart from any socket traffic.</summary>
public sealed class FrameReaderSpec
{
    [Fact]
    public void Delivered_ForAReaderThatNeverPauses_LeavesNoBacklogOfWakeUps()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var reader = new FrameReader(ByteLink.Plain(socket), ProtocolSettings.Default, ActorRefs.Nobody, maxUndelivered: 256, LanClock.Monotonic);

        // A busy connection whose handler keeps up: every read is handed back, and the reader never waits.
        for (var read = 0; read < 100_000; read++)
        {
            reader.Delivered(packets: 0);
        }

        // One pending wake-up at most: a busy connection must not keep one per read for as long as it lives.
        Assert.InRange(reader.PendingWakeUps, 0, 1);
    }
}
