using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Protocol;
using Lan.Actors.Metrics;

namespace Lan.Actors.Io;

// Sending: a Send only queues in the Outbox; one flush of the actor's own writes everything queued in one call.
internal sealed partial class ConnectionActor
{
    private void Enqueue(Packet packet, IActorRef? replyTo)
    {
        if (_closePending)
        {
            Refuse(packet, SendRefusal.Closed, replyTo);
            return;
        }

        if (_outbox.TryEnqueue(packet, _setup.Tcp.SendQueueLimit, _setup.Tcp.SendQueueBytes) is { } refusal)
        {
            if (refusal == SendRefusal.QueueFull)
            {
                // The clock of lan.tcp.slow-consumer-grace runs from the first refusal until a write completes.
                _refusingSince ??= _clock.Now;
            }

            Refuse(packet, refusal, replyTo);
            return;
        }

        ScheduleFlush();
    }

    /// <summary>Queues every packet of a <see cref="SendBatch"/> in order; each one refused is refused alone, as a <see cref="Send"/> would be.</summary>
    private void EnqueueAll(IReadOnlyList<Packet> packets, IActorRef? replyTo)
    {
        for (var i = 0; i < packets.Count; i++)
        {
            Enqueue(packets[i], replyTo);
        }
    }

    // The flush waits for a message of its own, so every Send already in the mailbox joins the same write:
    // a handler answering a batch of 64 packets costs one system call, not 64.
    private void ScheduleFlush()
    {
        if (!_writing && !_flushScheduled)
        {
            _flushScheduled = true;
            Self.Tell(FlushNow.Instance);
        }
    }

    private void OnFlushNow()
    {
        _flushScheduled = false;
        Flush();
    }

    private static void Refuse(Packet packet, SendRefusal refusal, IActorRef? replyTo)
    {
        LanMetrics.SendsRefused.Add(1, LanMetrics.Tag(LanMetrics.RefusalTag, refusal.ToString()));
        if (replyTo is not null && !replyTo.IsNobody())
        {
            replyTo.Tell(new SendRefused(packet, refusal));
        }
    }

    /// <summary>Writes everything queued as one send per batch; a send that completes at once is not waited for.</summary>
    private void Flush()
    {
        // Until a TLS handshake has finished there is no link: what is queued waits for it.
        while (!_writing && _link is not null && _outbox.HasPending)
        {
            var bytes = _outbox.EncodeBatch();
            ValueTask<int> sending;
            try
            {
                sending = _link.WriteAsync(bytes);
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
            {
                Fail(DisconnectReason.Dropped, $"sending failed: {e.Message}", e);
                return;
            }

            Task<int> rest;
            if (sending.IsCompletedSuccessfully)
            {
                var sent = sending.Result;
                if (sent == bytes.Length)
                {
                    _outbox.Sent(bytes.Length);
                    _refusingSince = null;
                    continue;
                }

                rest = Task.FromResult(sent);
            }
            else
            {
                rest = sending.AsTask();
            }

            _writing = true;
            _ = FinishSendAsync(rest, bytes, _link, Self);
        }

        if (!_writing && _link is not null && _closePending && !_outbox.HasPending)
        {
            ShutdownSend();
        }
    }

    private static async Task FinishSendAsync(Task<int> pending, ReadOnlyMemory<byte> bytes, ByteLink link, IActorRef self)
    {
        try
        {
            // Stryker disable once Boolean : equivalent: the continuation has no context to return to either way
            var sent = await pending.ConfigureAwait(false);
            while (sent < bytes.Length)
            {
                // Stryker disable once Boolean : equivalent: the continuation has no context to return to either way
                sent += await link.WriteAsync(bytes[sent..]).ConfigureAwait(false);
            }

            self.Tell(new WriteCompleted(bytes.Length), ActorRefs.NoSender);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or NotSupportedException)
        {
            self.Tell(new WriteFailed(e), ActorRefs.NoSender);
        }
    }

    private void OnWriteCompleted(WriteCompleted done)
    {
        _writing = false;
        _outbox.Sent(done.Bytes);
        _refusingSince = null;
        if (_endOfStreamWhileWriting)
        {
            // Closing already (its reason is set): the peer's end of stream is all it was waiting for.
            if (_endReason is not null)
            {
                Context.Stop(Self);
            }
            else
            {
                OnReadEnded(new ReadEnded(null));
            }

            return;
        }

        Flush();
    }

    private void OnWriteFailed(WriteFailed failed)
    {
        _writing = false;
        _sendFailure = failed.Error;
        if (_endOfStreamWhileWriting)
        {
            // The reader has ended already, with no DISCONNECT: nothing is left to read.
            FailSending();
            return;
        }

        Become(ReadingLastWords);
        Timers.StartSingleTimer(CloseTimer, CloseTimedOut.Instance, _setup.Tcp.CloseTimeout);
        ResumeReadingRequested();
    }

    private void FailSending() =>
        Fail(DisconnectReason.Dropped, $"sending failed: {_sendFailure!.Message}", _sendFailure);

    private sealed record FlushNow : IDeadLetterSuppression
    {
        public static FlushNow Instance { get; } = new();
    }

    private sealed record WriteCompleted(int Bytes) : IDeadLetterSuppression;

    private sealed record WriteFailed(Exception Error) : IDeadLetterSuppression;
}
