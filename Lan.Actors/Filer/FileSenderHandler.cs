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
    private Outgoing? _current;
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
            _connection?.Tell(new Send(Packet.Create(FilerPackets.Cancel).Set(FilerPackets.IdField, cancel.Id).Set(FilerPackets.ReasonField, cancel.Reason).Build()));
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
            Publish(new TransferFailed(current.Id, current.Name, "the sender stopped before the file was sent", TransferDirection.Sending));
            current.Dispose();
        }

        foreach (var pending in _queue)
        {
            Publish(new TransferFailed(pending.InterruptedId, Path.GetFileName(pending.Path), "the sender stopped before the file was sent", TransferDirection.Sending));
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

            var offer = Packet.Create(FilerPackets.Offer)
                .Set(FilerPackets.IdField, transfer.Id)
                .Set(FilerPackets.NameField, transfer.Name)
                .Set(FilerPackets.SizeField, transfer.Size)
                .Set(FilerPackets.ChunkField, _options.ChunkSize);
            if (transfer.Sha256 is not null)
            {
                offer.Set(FilerPackets.Sha256Field, transfer.Sha256);
            }
            else
            {
                // Hashing a large file takes seconds; the bytes flow meanwhile and FILE_HASH follows.
                HashInBackground(transfer);
            }

            _connection.Tell(new Send(offer.Build()));
            ArmReceiverTimer();
        }
    }

    /// <summary>Opens the file and finds its hash when it is known or small; null (and a failure published) when unreadable.</summary>
    private Outgoing? Open(Pending pending)
    {
        var name = Path.GetFileName(pending.Path);
        Outgoing? transfer = null;
        try
        {
            var stream = new FileStream(pending.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
            transfer = new Outgoing(Guid.NewGuid().ToString("N"), pending.Path, name, stream.Length, File.GetLastWriteTimeUtc(pending.Path), stream);
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
            Publish(new TransferFailed("", name, $"cannot read {pending.Path}: {e.Message}", TransferDirection.Sending));
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
                if (!packet.TryGet<long>(FilerPackets.FromField, out var from) || from < 0 || from > transfer.Size)
                {
                    Cancel("FILE_ACCEPT without a FROM within the file");
                    return;
                }

                transfer.Accepted = true;
                transfer.Next = from;
                transfer.Acked = from;
                transfer.Stream.Seek(from, SeekOrigin.Begin);
                Publish(new TransferStarted(transfer.Id, transfer.Name, from, transfer.Size, TransferDirection.Sending));
                Pump();
                break;
            case FilerPackets.Ack when transfer.Accepted:
                if (!packet.TryGet<long>(FilerPackets.UptoField, out var upto) || upto < transfer.Acked || upto > transfer.Next)
                {
                    Cancel("FILE_ACK for bytes never sent");
                    return;
                }

                transfer.Acked = upto;
                while (transfer.InFlight.Count > 0 && transfer.InFlight.Peek() <= upto)
                {
                    transfer.InFlight.Dequeue();
                }

                Publish(new TransferProgress(transfer.Id, transfer.Name, upto, transfer.Size, TransferDirection.Sending));
                Pump();
                break;
            case FilerPackets.Done when transfer.DoneSent:
                if (packet.TryGet<bool>(FilerPackets.OkField, out var ok) && ok)
                {
                    Publish(new TransferCompleted(transfer.Id, transfer.Name, transfer.Size, transfer.Path, TransferDirection.Sending));
                    Finish();
                }
                else
                {
                    Fail("the receiver's check failed: " + Reason(packet));
                }

                break;
            case FilerPackets.Reject:
                Fail("refused: " + Reason(packet));
                break;
            case FilerPackets.Cancel:
                Fail("cancelled by the receiver: " + Reason(packet));
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
            var length = (int)Math.Min(_options.ChunkSize, transfer.Size - transfer.Next);
            var bytes = new byte[length];
            try
            {
                transfer.Stream.ReadExactly(bytes);
            }
            catch (Exception e) when (e is IOException or EndOfStreamException)
            {
                Cancel($"the sender cannot read its file: {e.Message}");
                return;
            }

            _connection!.Tell(new Send(Packet.Create(FilerPackets.Chunk)
                .Set(FilerPackets.IdField, transfer.Id)
                .Set(FilerPackets.OffsetField, transfer.Next)
                .WithContent(bytes)
                .Build()));
            transfer.Next += length;
            transfer.InFlight.Enqueue(transfer.Next);
        }

        if (transfer.Acked == transfer.Size && transfer.Sha256 is not null && !transfer.DoneSent)
        {
            transfer.DoneSent = true;
            _connection!.Tell(new Send(Packet.Create(FilerPackets.Done).Set(FilerPackets.IdField, transfer.Id).Build()));
        }
    }

    private void Cancel(string reason)
    {
        _connection?.Tell(new Send(Packet.Create(FilerPackets.Cancel).Set(FilerPackets.IdField, _current!.Id).Set(FilerPackets.ReasonField, reason).Build()));
        Fail(reason);
    }

    private void Fail(string reason)
    {
        var transfer = _current!;
        _log.Info("sending {Name} failed: {Reason}", transfer.Name, reason);
        Publish(new TransferFailed(transfer.Id, transfer.Name, reason, TransferDirection.Sending));
        Finish();
    }

    private void Finish()
    {
        _current!.Dispose();
        _current = null;
        ArmReceiverTimer();
        OfferNext();
    }

    private static string Reason(Packet packet) => packet.TryGet<string>(FilerPackets.ReasonField, out var reason) ? reason : "no reason given";

    private static void Publish(object @event) => Context.System.EventStream.Publish(@event);

    /// <summary>A file waiting for its offer; <paramref name="Hash"/> and <paramref name="InterruptedId"/> are from an earlier, cut attempt ("" for none).</summary>
    private sealed record Pending(string Path, HashOf? Hash, string InterruptedId);

    private sealed class Outgoing(string id, string path, string name, long size, DateTime writtenAt, FileStream stream) : IDisposable
    {
        public string Id { get; } = id;

        public string Path { get; } = path;

        public string Name { get; } = name;

        public long Size { get; } = size;

        public DateTime WrittenAt { get; } = writtenAt;

        public FileStream Stream { get; } = stream;

        /// <summary>Cancels the background hashing when the transfer ends first.</summary>
        public CancellationTokenSource Hashing { get; } = new();

        /// <summary>The file's SHA-256, once known: from the offer, or when the background hashing ends.</summary>
        public string? Sha256 { get; set; }

        /// <summary>The hash, known or being computed; null only while a small file's offer is being made.</summary>
        public Task<string>? HashTask { get; set; }

        /// <summary>The end offsets of the chunks sent and not yet acknowledged, oldest first.</summary>
        public Queue<long> InFlight { get; } = new();

        public bool Accepted { get; set; }

        public long Next { get; set; }

        public long Acked { get; set; }

        public bool DoneSent { get; set; }

        public void Dispose() => Dispose(keepHashing: false);

        /// <summary>Closes the file; the background hashing goes on when <paramref name="keepHashing"/> (a cut file waits for it).</summary>
        public void Dispose(bool keepHashing)
        {
            if (!keepHashing)
            {
                Hashing.Cancel();
                Hashing.Dispose();
            }

            Stream.Dispose();
        }
    }
}
