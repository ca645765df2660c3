using System.Net;
using System.Threading.Channels;
using Akka.Actor;
using Lan.Actors.Filer;
using Lan.Actors.Io;
using Lan.Node.Commands;

namespace Lan.Actors.Tests.Commands;

/// <summary>How <c>lan-node send</c> decides that a lost peer is not coming back (<c>--resume-wait</c>).</summary>
public sealed class LinkWatchSpec
{
    private static readonly TimeSpan ResumeWait = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly PeerInfo Peer = new("peer", "inbox", new IPEndPoint(IPAddress.Loopback, 1), false);
    private readonly Channel<object> _events = Channel.CreateUnbounded<object>();
    private readonly SendCommand.LinkWatch _watch = new("inbox", ResumeWait);

    private static Disconnected Down => new(ActorRefs.Nobody, Peer, DisconnectReason.Dropped, "reset");

    private static TransferProgress Moved => new("t1", "big.bin", 10, 100, TransferDirection.Sending);

    [Fact]
    public async Task TransferEventsThatArriveAfterTheCut_DoNotMakeTheLinkLookUp_SoTheWatchStillGivesUp()
    {
        // The cut comes straight from the connection; the events of the transfer it cut, through the event stream, after it.
        Write(Down, Moved, new TransferInterrupted("t1", "big.bin", 10, 100, "connection lost"));

        Assert.IsType<TransferProgress>(await Next());
        Assert.IsType<TransferInterrupted>(await Next());
        Assert.Null(await Next());
    }

    [Fact]
    public async Task AFinishedFileFollowedByACut_GivesUpOnTheNextFile_InsteadOfWaitingForever()
    {
        Write(Down, new TransferCompleted("t1", "one.bin", 100, "/tmp/one.bin", TransferDirection.Sending));

        Assert.IsType<TransferCompleted>(await Next());
        Assert.Null(await Next());
    }

    [Fact]
    public async Task APeerThatAcceptsAndDropsEveryConnection_WithoutWelcome_IsGivenUpOn()
    {
        Write(Down, new Connected(ActorRefs.Nobody, Peer), Down, new Connected(ActorRefs.Nobody, Peer), Down);

        Assert.Null(await Next());
    }

    [Fact]
    public async Task OnceThePeerWelcomesAgain_TimeUpIsNotCounted_AndTheNextTransferEventComesThrough()
    {
        Write(Down, new Identified(ActorRefs.Nobody, Peer));
        var next = Next();

        // Up: no deadline runs, however long the re-offer takes (a timer that is not started cannot fire).
        Assert.NotSame(next, await Task.WhenAny(next, Task.Delay(ResumeWait * 2)));
        Write(Moved);
        Assert.IsType<TransferProgress>(await next);
    }

    private void Write(params object[] events)
    {
        foreach (var @event in events)
        {
            _events.Writer.TryWrite(@event);
        }
    }

    private Task<object?> Next() => _watch.NextAsync(_events.Reader, CancellationToken.None).WaitAsync(Patience);
}
