using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Filer;

/// <summary>How a <see cref="FileSenderHandler"/> cuts files into chunks.</summary>
/// <param name="ChunkSize">Bytes per <c>FILE_CHUNK</c>; at most <c>lan.protocol.max-content-size</c>.</param>
/// <param name="Window">Chunks sent and not yet acknowledged at most; window × chunk is the most file bytes held in memory.</param>
public sealed record FileSenderOptions(int ChunkSize = 64 * 1024, int Window = 8)
{
    /// <summary>
    /// Files up to this size are hashed before their offer, which then carries <c>SHA256</c> (about a millisecond a
    /// mebibyte); larger ones are offered at once and hashed while their bytes flow, <c>FILE_HASH</c> following.
    /// </summary>
    public long HashBeforeOfferUpTo { get; init; } = 1024 * 1024;

    /// <summary>
    /// How long the receiver may leave the sender waiting (for the answer to an offer, an acknowledgement, the verdict
    /// on <c>FILE_DONE</c>) before the transfer is cancelled; longer than a receiver's decision time-out (2 min).
    /// </summary>
    public TimeSpan ReceiverTimeout { get; init; } = TimeSpan.FromMinutes(5);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(HashBeforeOfferUpTo, nameof(HashBeforeOfferUpTo));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReceiverTimeout, TimeSpan.Zero, nameof(ReceiverTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(ChunkSize, 1, nameof(ChunkSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 1, nameof(Window));
    }
}

/// <summary>
/// The sending side of the filer, the handler of one client connection: it offers the files it is told to
/// <see cref="SendFile"/> one after another, sends the chunks from where the receiver asks (<c>FROM</c>) with at
/// most <see cref="FileSenderOptions.Window"/> unacknowledged, and publishes <see cref="TransferStarted"/>,
/// <see cref="TransferProgress"/>, <see cref="TransferCompleted"/>, <see cref="TransferFailed"/> and
/// <see cref="TransferInterrupted"/>. The file is offered at once and, when larger than
/// <see cref="FileSenderOptions.HashBeforeOfferUpTo"/>, hashed in the background while its bytes flow (<c>FILE_HASH</c>
/// follows), so a large file does not wait for a whole read before its first byte. A transfer cut with its
/// connection is interrupted, not failed: it is offered again, once its hash is known, when a connection is back,
/// so the receiver can resume it. It waits for that connection as long as the handler lives; stop the handler to
/// give up, and every file it still held is reported <see cref="TransferFailed"/>.
/// </summary>
public sealed partial class FileSenderHandler : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly FileSenderOptions _options;
    private readonly LinkedList<Pending> _queue = new();
    private IActorRef? _connection;
    private OutgoingFile? _current;
    private bool _waitingForHash;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Creates the handler.</summary>
    public FileSenderHandler(FileSenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Receive<SendFile>(send =>
        {
            _queue.AddLast(new Pending(send.Path, null, ""));
            OfferNext();
        });
        Receive<CancelTransfer>(cancel => _current?.Id == cancel.Id, cancel =>
        {
            _connection?.Tell(new Send(Packet.From(new FileCancel(cancel.Id, cancel.Reason))));
            Fail(cancel.Reason);
        });
        Receive<CancelTransfer>(_ => { });
        // A failed connect attempt: the node tries again after its back-off; nothing to do until Connected.
        Receive<ConnectAttemptFailed>(_ => { });
        Receive<Connected>(connected =>
        {
            _connection = connected.Connection;
            OfferNext();
        });
        Receive<Identified>(_ => { });
        Receive<Received>(received => received.Connection.Equals(_connection) && _current is not null
            && received.Packet.TryGet<string>(FilerPackets.IdField, out var id) && id == _current.Id, received => OnPacket(received.Packet));
        Receive<Received>(received => _log.Debug("ignored {Type}", received.Packet.Type));
        Receive<Hashed>(hashed => hashed.Id == _current?.Id && (hashed.Sha256 is not null || hashed.Error is not null), OnHashed);
        Receive<Hashed>(_ => { });
        Receive<ReceiverSilent>(OnReceiverSilent);
        Receive<HashSettled>(_ =>
        {
            _waitingForHash = false;
            OfferNext();
        });
        Receive<Disconnected>(disconnected =>
        {
            if (!disconnected.Connection.Equals(_connection))
            {
                return;
            }

            _connection = null;
            if (_current is { } cut)
            {
                // Offered again when the connection is back: the receiver resumes from what it verified.
                // Its hash, known or still being computed, goes with it: only an offer with a hash can resume.
                _queue.AddFirst(new Pending(cut.Path, cut.HashTask is { } hash ? new HashOf(cut.Size, cut.WrittenAt, hash, cut.Hashing) : null, cut.Id));
                var reason = $"connection lost ({disconnected.Reason}: {disconnected.Detail})";
                _log.Info("sending {Name} interrupted at {Bytes} of {Size} bytes: {Reason}", cut.Name, cut.Acked, cut.Size, reason);
                Publish(new TransferInterrupted(cut.Id, cut.Name, cut.Acked, cut.Size, reason));
                cut.Dispose(keepHashing: true);
                _current = null;
                ArmReceiverTimer();
            }
        });
        Receive<SendRefused>(refused => FilerPackets.IsFiler(refused.Packet.Type) && _current is not null, refused => Fail($"the connection refused a {refused.Packet.Type}: {refused.Reason}"));
        Receive<SendRefused>(_ => { });
    }

    /// <summary>Props for the handler.</summary>
    public static Props Props(FileSenderOptions? options = null) => Akka.Actor.Props.Create(() => new FileSenderHandler(options ?? new FileSenderOptions()));

    /// <inheritdoc />
    protected override void PostStop()
    {
        // A cut file waits for a connection for as long as the handler lives; stopping it is how a program gives
        // up, and every file it still held ends with an event.
        if (_current is { } current)
        {
            Publish(new TransferFailed(current.Id, current.Name, "the sender stopped before the file was sent", TransferDirection.Sending) { Path = current.Path });
            current.Dispose();
        }

        foreach (var pending in _queue)
        {
            Publish(new TransferFailed(pending.InterruptedId, Path.GetFileName(pending.Path), "the sender stopped before the file was sent", TransferDirection.Sending) { Path = pending.Path });
            if (pending.Hash is { } hash)
            {
                // A cut file's hash may still be computing; nobody will want it now.
                hash.Hashing.Cancel();
                hash.Hashing.Dispose();
            }
        }

        base.PostStop();
    }

    private void OfferNext()
    {
        while (_current is null && !_waitingForHash && _connection is not null && _queue.First is { } next)
        {
            if (next.Value.Hash?.Sha256 is { IsCompleted: false } running)
            {
                // A cut file is offered again once its hash is known, so the receiver can resume it.
                _waitingForHash = true;
                running.PipeTo(Self, success: _ => HashSettled.Instance, failure: _ => HashSettled.Instance);
                return;
            }

            _queue.RemoveFirst();
            _current = Open(next.Value);
            if (_current is not { } transfer)
            {
                continue;
            }

            if (transfer.Sha256 is null)
            {
                // Hashing a large file takes seconds; the bytes flow meanwhile and FILE_HASH follows.
                HashInBackground(transfer);
            }

            _connection.Tell(new Send(Packet.From(new FileOffer(transfer.Id, transfer.Name, transfer.Size, _options.ChunkSize, transfer.Sha256))));
            ArmReceiverTimer();
        }
    }

    /// <summary>Opens the file and finds its hash when it is known or small; null (and a failure published) when unreadable.</summary>
    private OutgoingFile? Open(Pending pending)
    {
        var name = Path.GetFileName(pending.Path);
        OutgoingFile? transfer = null;
        try
        {
            var stream = new FileStream(pending.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
            transfer = new OutgoingFile(Guid.NewGuid().ToString("N"), pending.Path, name, stream.Length, File.GetLastWriteTimeUtc(pending.Path), stream);
            // The earlier attempt's hashing has ended here (the offer waited for it): its token source is done with.
            pending.Hash?.Hashing.Dispose();
            if (pending.Hash is { Sha256.IsCompletedSuccessfully: true } known && known.Size == transfer.Size && known.WrittenAt == transfer.WrittenAt)
            {
                // Offered before and cut, and the file is unchanged: with its hash the receiver can resume.
                transfer.Sha256 = known.Sha256.Result;
            }
            else if (transfer.Size <= _options.HashBeforeOfferUpTo)
            {
                transfer.Sha256 = HashFile(pending.Path, CancellationToken.None);
            }

            if (transfer.Sha256 is { } sha256)
            {
                transfer.HashTask = Task.FromResult(sha256);
            }

            return transfer;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            transfer?.Dispose();
            Publish(new TransferFailed("", name, $"cannot read {pending.Path}: {e.Message}", TransferDirection.Sending) { Path = pending.Path });
            return null;
        }
    }

    private void OnPacket(Packet packet)
    {
        OnTransferPacket(packet);
        ArmReceiverTimer();
    }

    private void OnTransferPacket(Packet packet)
    {
        var transfer = _current!;
        switch (packet.Type)
        {
            case FilerPackets.Accept when !transfer.Accepted:
                if (!packet.TryAs<FileAccept>(out var accept) || !transfer.TryStartAt(accept.From))
                {
                    Cancel("FILE_ACCEPT without a FROM within the file");
                    return;
                }

                Publish(new TransferStarted(transfer.Id, transfer.Name, accept.From, transfer.Size, TransferDirection.Sending));
                Pump();
                break;
            case FilerPackets.Ack when transfer.Accepted:
                if (!packet.TryAs<FileAck>(out var ack) || !transfer.TryAcknowledge(ack.Upto))
                {
                    Cancel("FILE_ACK for bytes never sent");
                    return;
                }

                Publish(new TransferProgress(transfer.Id, transfer.Name, ack.Upto, transfer.Size, TransferDirection.Sending));
                Pump();
                break;
            case FilerPackets.Done when transfer.DoneSent:
                if (packet.TryAs<FileDone>(out var done) && done.Ok == true)
                {
                    Publish(new TransferCompleted(transfer.Id, transfer.Name, transfer.Size, transfer.Path, TransferDirection.Sending));
                    Finish();
                }
                else
                {
                    Fail("the receiver's check failed: " + (done?.Reason ?? NoReason));
                }

                break;
            case FilerPackets.Reject:
                Fail("refused: " + (packet.TryAs<FileReject>(out var reject) ? reject.Reason : NoReason));
                break;
            case FilerPackets.Cancel:
                Fail("cancelled by the receiver: " + ((packet.TryAs<FileCancel>(out var cancel) ? cancel.Reason : null) ?? NoReason));
                break;
            default:
                _log.Debug("ignored {Type} for transfer {Id}", packet.Type, transfer.Id);
                break;
        }
    }

    /// <summary>Sends chunks while the window has room, then <c>FILE_DONE</c> once everything is acknowledged.</summary>
    private void Pump()
    {
        var transfer = _current!;
        while (transfer.InFlight.Count < _options.Window && transfer.Next < transfer.Size)
        {
            var offset = transfer.Next;
            byte[] bytes;
            try
            {
                bytes = transfer.ReadChunk(_options.ChunkSize);
            }
            catch (Exception e) when (e is IOException or EndOfStreamException)
            {
                Cancel($"the sender cannot read its file: {e.Message}");
                return;
            }

            _connection!.Tell(new Send(Packet.From(new FileChunk(transfer.Id, offset), bytes)));
        }

        if (transfer.Acked == transfer.Size && transfer.Sha256 is not null && !transfer.DoneSent)
        {
            transfer.DoneSent = true;
            _connection!.Tell(new Send(Packet.From(new FileDone(transfer.Id))));
        }
    }

    private void Cancel(string reason)
    {
        _connection?.Tell(new Send(Packet.From(new FileCancel(_current!.Id, reason))));
        Fail(reason);
    }

    private void Fail(string reason)
    {
        var transfer = _current!;
        _log.Info("sending {Name} failed: {Reason}", transfer.Name, reason);
        Publish(new TransferFailed(transfer.Id, transfer.Name, reason, TransferDirection.Sending) { Path = transfer.Path });
        Finish();
    }

    private void Finish()
    {
        _current!.Dispose();
        _current = null;
        ArmReceiverTimer();
        OfferNext();
    }

    private const string NoReason = "no reason given";

    private static void Publish(object @event)
    {
        FilerMetrics.Observe(@event);
        Context.System.EventStream.Publish(@event);
    }

    /// <summary>A file waiting for its offer; <paramref name="Hash"/> and <paramref name="InterruptedId"/> are from an earlier, cut attempt ("" for none).</summary>
    private sealed record Pending(string Path, HashOf? Hash, string InterruptedId);
}
