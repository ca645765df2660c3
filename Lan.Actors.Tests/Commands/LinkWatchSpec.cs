using System.Net;
using System.Threading.Channels;
using Akka.Actor;
using Lan.Actors.Filer;
using Lan.Actors.Io;
using Lan.Node.Commands;

namespace Lan.Actors.Tests.Commands;

/// <summary>
/// How <c>lan-node send</c> decides that a lost peer is not coming back (<c>--resume-wait</c>), on a clock the spec moves
/// by hand: whether the watch gives up depends on the time it was given, never on how fast this machine is.
/// </summary>
public sealed class LinkWatchSpec
{
    private static readonly TimeSpan ResumeWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly PeerInfo Peer = new("peer", "inbox", new IPEndPoint(IPAddress.Loopback, 1), false);
    private readonly Channel<object> _events = Channel.CreateUnbounded<object>();
    private readonly ManualTime _time = new();
    private readonly SendCommand.LinkWatch _watch;

    public LinkWatchSpec() => _watch = new("inbox", ResumeWait, _time);

    private static Disconnected Down => new(ActorRefs.Nobody, Peer, DisconnectReason.Dropped, "reset");

    private static TransferProgress Moved => new("t1", "big.bin", 10, 100, TransferDirection.Sending);

    [Fact]
    public async Task TransferEventsThatArriveAfterTheCut_DoNotMakeTheLinkLookUp_SoTheWatchStillGivesUp()
    {
        // The cut comes straight from the connection; the events of the transfer it cut, through the event stream, after it.
        Write(Down, Moved, new TransferInterrupted("t1", "big.bin", 10, 100, "connection lost"));

        Assert.IsType<TransferProgress>(await Next());
        Assert.IsType<TransferInterrupted>(await Next());
        Assert.Null(await GiveUp());
    }

    [Fact]
    public async Task AFinishedFileFollowedByACut_GivesUpOnTheNextFile_InsteadOfWaitingForever()
    {
        Write(Down, new TransferCompleted("t1", "one.bin", 100, "/tmp/one.bin", TransferDirection.Sending));

        Assert.IsType<TransferCompleted>(await Next());
        Assert.Null(await GiveUp());
    }

    [Fact]
    public async Task APeerThatAcceptsAndDropsEveryConnection_WithoutWelcome_IsGivenUpOn()
    {
        Write(Down, new Connected(ActorRefs.Nobody, Peer), Down, new Connected(ActorRefs.Nobody, Peer), Down);

        Assert.Null(await GiveUp());
    }

    [Fact]
    public async Task OnceThePeerWelcomesAgain_TimeUpIsNotCounted_AndTheNextTransferEventComesThrough()
    {
        Write(Down, new Identified(ActorRefs.Nobody, Peer));
        var next = Next();

        // Up: no deadline runs, however long the re-offer takes.
        _time.Advance(ResumeWait * 2);
        Assert.False(next.IsCompleted);
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

    // The next event, the link being down: nothing comes until the clock passes the resume wait, then the watch gives up.
    private async Task<object?> GiveUp()
    {
        var next = Next();
        _time.Advance(ResumeWait - TimeSpan.FromTicks(1));
        Assert.False(next.IsCompleted, "the watch gave up before its resume wait had passed");
        _time.Advance(TimeSpan.FromTicks(1));
        return await next;
    }
}
