using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Filer;

/// <summary>Asks a <see cref="FileSenderHandler"/> to offer the file at <paramref name="Path"/> to its peer.</summary>
public sealed record SendFile(string Path);

/// <summary>Asks a <see cref="FileSenderHandler"/> to cancel the transfer <paramref name="Id"/> (sends <c>FILE_CANCEL</c>).</summary>
public sealed record CancelTransfer(string Id, string Reason = "cancelled by the sender");

/// <summary>How a <see cref="FileSenderHandler"/> cuts files into chunks.</summary>
/// <param name="ChunkSize">Bytes per <c>FILE_CHUNK</c>; at most <c>lan.protocol.max-content-size</c>.</param>
/// <param name="Window">Chunks sent and not yet acknowledged at most; window × chunk is the most file bytes held in memory.</param>
public sealed record FileSenderOptions(int ChunkSize = 64 * 1024, int Window = 8)
{
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ChunkSize, 1, nameof(ChunkSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, 1, nameof(Window));
    }
}

/// <summary>
/// The sending side of the filer, the handler of one client connection: it offers the files it is told to
/// <see cref="SendFile"/> one after another, sends the chunks from where the receiver asks (<c>FROM</c>) with at
/// most <see cref="FileSenderOptions.Window"/> unacknowledged, and publishes <see cref="TransferStarted"/>,
/// <see cref="TransferProgress"/>, <see cref="TransferCompleted"/> and <see cref="TransferFailed"/>. A transfer cut
/// with its connection is offered again when the connection is back, so the receiver can resume it.
/// </summary>
public sealed class FileSenderHandler : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly FileSenderOptions _options;
    private readonly LinkedList<string> _queue = new();
    private IActorRef? _connection;
    private Outgoing? _current;

    /// <summary>Creates the handler.</summary>
    public FileSenderHandler(FileSenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Receive<SendFile>(send =>
        {
            _queue.AddLast(send.Path);
            OfferNext();
        });
        Receive<CancelTransfer>(cancel => _current?.Id == cancel.Id, cancel =>
        {
            _connection?.Tell(new Send(Packet.Create(FilerPackets.Cancel).Set(FilerPackets.IdField, cancel.Id).Set(FilerPackets.ReasonField, cancel.Reason).Build()));
            Fail(cancel.Reason);
        });
        Receive<CancelTransfer>(_ => { });
        Receive<Connected>(connected =>
        {
            _connection = connected.Connection;
            OfferNext();
        });
        Receive<Identified>(_ => { });
        Receive<Received>(received => received.Connection.Equals(_connection) && _current is not null
            && received.Packet.TryGet<string>(FilerPackets.IdField, out var id) && id == _current.Id, received => OnPacket(received.Packet));
        Receive<Received>(received => _log.Debug("ignored {Type}", received.Packet.Type));
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
                _queue.AddFirst(cut.Path);
                Fail($"connection lost ({disconnected.Reason}: {disconnected.Detail})");
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
        _current?.Stream.Dispose();
        base.PostStop();
    }

    private void OfferNext()
    {
        while (_current is null && _connection is not null && _queue.First is { } next)
        {
            _queue.RemoveFirst();
            var path = next.Value;
            var name = Path.GetFileName(path);
            try
            {
                var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
                var sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
                _current = new Outgoing(Guid.NewGuid().ToString("N"), path, name, stream.Length, sha256, stream);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Publish(new TransferFailed("", name, $"cannot read {path}: {e.Message}", TransferDirection.Sending));
                continue;
            }

            _connection.Tell(new Send(Packet.Create(FilerPackets.Offer)
                .Set(FilerPackets.IdField, _current.Id)
                .Set(FilerPackets.NameField, name)
                .Set(FilerPackets.SizeField, _current.Size)
                .Set(FilerPackets.Sha256Field, _current.Sha256)
                .Set(FilerPackets.ChunkField, _options.ChunkSize)
                .Build()));
        }
    }

    private void OnPacket(Packet packet)
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

        if (transfer.Acked == transfer.Size && !transfer.DoneSent)
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
        _current!.Stream.Dispose();
        _current = null;
        OfferNext();
    }

    private static string Reason(Packet packet) => packet.TryGet<string>(FilerPackets.ReasonField, out var reason) ? reason : "no reason given";

    private static void Publish(object @event) => Context.System.EventStream.Publish(@event);

    private sealed class Outgoing(string id, string path, string name, long size, string sha256, FileStream stream)
    {
        public string Id { get; } = id;

        public string Path { get; } = path;

        public string Name { get; } = name;

        public long Size { get; } = size;

        public string Sha256 { get; } = sha256;

        public FileStream Stream { get; } = stream;

        /// <summary>The end offsets of the chunks sent and not yet acknowledged, oldest first.</summary>
        public Queue<long> InFlight { get; } = new();

        public bool Accepted { get; set; }

        public long Next { get; set; }

        public long Acked { get; set; }

        public bool DoneSent { get; set; }
    }
}
