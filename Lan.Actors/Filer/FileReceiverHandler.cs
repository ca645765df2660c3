using Akka.Actor;
using Akka.Event;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Filer;

/// <summary>Where and how a <see cref="FileReceiverHandler"/> stores what it receives.</summary>
/// <param name="Folder">The receive folder; nothing is ever written outside it.</param>
public sealed record FileReceiverOptions(string Folder)
{
    /// <summary>The largest <c>CHUNK</c> an offer may ask for; at most <c>lan.protocol.max-content-size</c>.</summary>
    public int MaxChunkSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// How many bytes may be written between two checkpoints, each a flush to disk and a new sidecar: the most a
    /// crash of the receiver's machine can cost a resume. A transfer that stops with the process alive checkpoints at once.
    /// </summary>
    public long CheckpointBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Opens a <c>.part</c> file for writing (created when missing, not truncated); replaceable to inject faults.</summary>
    public Func<string, Stream> OpenPart { get; init; } = static path => new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);

    /// <summary>
    /// Who decides on each offer, when not every safe offer is to be accepted: it is told <see cref="OfferReceived"/>
    /// and answers <see cref="AcceptOffer"/> or <see cref="RejectOffer"/>; null accepts every offer that passes the checks.
    /// </summary>
    public IActorRef? Decider { get; init; }

    /// <summary>
    /// How long an offer may wait, so a sender is never kept waiting forever: for the <see cref="Decider"/>'s answer
    /// (then it is refused), or for the <c>FILE_HASH</c> that tells whether a resumable <c>.part</c> is its file (then
    /// it starts from zero).
    /// </summary>
    public TimeSpan DecisionTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The bytes free for the folder's file system; replaceable for specs.</summary>
    public Func<string, long> FreeSpace { get; init; } = static folder => new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;

    /// <summary>
    /// Offers one connection may have in progress at once, waiting or being received (<c>lan.filer.max-offers-per-peer</c>):
    /// each holds an open file, so a peer cannot take every descriptor of the process.
    /// </summary>
    public int MaxOffersPerPeer { get; init; } = 4;

    /// <summary>
    /// How long a <c>.part</c> nobody resumes is kept (<c>lan.filer.part-expire-after</c>); checked when the receiver
    /// starts and every <see cref="PartSweepInterval"/>.
    /// </summary>
    public TimeSpan PartExpireAfter { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How often expired <c>.part</c> files are looked for (<c>lan.filer.part-sweep-interval</c>).</summary>
    public TimeSpan PartSweepInterval { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The clock <c>.part</c> files are aged by; replaceable for specs.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Options for <paramref name="folder"/> with the limits of <c>lan.filer</c> in <paramref name="config"/>.</summary>
    /// <exception cref="ConfigException">A <c>lan.filer</c> setting is invalid.</exception>
    public static FileReceiverOptions FromConfig(string folder, HoconConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var read = new SettingsReader(config, RootKey);
        return new FileReceiverOptions(folder)
        {
            MaxOffersPerPeer = read.Int("max-offers-per-peer", 1, 10_000),
            PartExpireAfter = read.PositiveDuration("part-expire-after"),
            PartSweepInterval = read.PositiveDuration("part-sweep-interval"),
        };
    }

    /// <summary>The root key the filer's settings are read from.</summary>
    public const string RootKey = "lan.filer";
}

/// <summary>
/// The receiving side of the filer, a shared handler for any number of connections and of transfers on each:
/// it checks every offered name with <see cref="SafeFileName"/>, refuses an offer the disk has no room for, writes
/// <c>NAME.part</c> (resuming from the verified length an earlier attempt at the same file left), acknowledges each
/// written chunk, and on <c>FILE_DONE</c> checks the SHA-256 of what it wrote (kept as the chunks are written) against
/// the sender's (from the offer or a <c>FILE_HASH</c>) before renaming the file to its final, never-overwriting name. A
/// failed write removes the <c>.part</c> and tells the sender; the handler keeps running. It publishes
/// <see cref="TransferStarted"/>, <see cref="TransferProgress"/>, <see cref="TransferCompleted"/> and <see cref="TransferFailed"/>.
/// </summary>
public sealed partial class FileReceiverHandler : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly FileReceiverOptions _options;
    private readonly ReceiveFolder _folder;
    private readonly Dictionary<(IActorRef Connection, string Id), Incoming> _transfers = [];
    private readonly Dictionary<IActorRef, PeerInfo> _peers = [];
    private readonly Dictionary<long, CheckedOffer> _pending = [];
    private readonly Dictionary<(IActorRef Connection, string Id), long> _ticketOf = [];
    private readonly Dictionary<(IActorRef Connection, string Id), CheckedOffer> _awaitingHash = [];
    private long _lastTicket;
    // Packets a peer got wrong and that were ignored; the 1st, 10th, 100th… are logged.
    private long _ignored;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Creates the handler; the receive folder is created when missing.</summary>
    public FileReceiverHandler(FileReceiverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _folder = new ReceiveFolder(options, _log);
        Directory.CreateDirectory(options.Folder);
        Receive<Received>(received => FilerPackets.IsFiler(received.Packet.Type), OnPacket);
        Receive<Received>(received => _log.Debug("ignored {Type}", received.Packet.Type));
        Receive<Disconnected>(disconnected =>
        {
            _peers.Remove(disconnected.Connection);
            ForgetWaitingOffers(disconnected.Connection, $"the connection was lost ({disconnected.Reason})");
            foreach (var (key, transfer) in _transfers.Where(entry => entry.Key.Connection.Equals(disconnected.Connection)).ToList())
            {
                // A .part with verified bytes stays, so the same file offered again resumes; one that holds nothing a
                // resume could use (no bytes, or no hash to prove them by) goes, so cut offers leave no litter.
                var resumable = transfer.Part.Length > 0 && transfer.Part.Sha256 is not null;
                End(key, $"connection lost ({disconnected.Reason}: {disconnected.Detail})", deletePart: !resumable);
            }
        });
        Receive<SweepParts>(_ => _folder.DeleteExpiredParts(_transfers.Values.Select(transfer => transfer.Part.PartPath)));
        Receive<Connected>(connected => _peers[connected.Connection] = connected.Peer);
        Receive<Identified>(identified => _peers[identified.Connection] = identified.Peer);
        ReceiveDecisions();
        Receive<SendRefused>(refused => _log.Warning("a {Type} was not sent: {Reason}", refused.Packet.Type, refused.Reason));
    }

    /// <summary>Props for the handler.</summary>
    public static Props Props(FileReceiverOptions options) => Akka.Actor.Props.Create(() => new FileReceiverHandler(options));

    /// <inheritdoc />
    protected override void PreStart()
    {
        _folder.DeleteExpiredParts([]);
        Timers.StartPeriodicTimer(nameof(SweepParts), SweepParts.Instance, _options.PartSweepInterval);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        ForgetWaitingOffers(null, "the receiver stopped");
        foreach (var (key, transfer) in _transfers)
        {
            // Its end, as for a connection that ends mid-transfer: whoever watches (a page, lan.filer.transfers.active)
            // must not keep it in progress for ever.
            Publish(new TransferFailed(key.Id, transfer.Name, "the receiver stopped; its .part stays for a resume", TransferDirection.Receiving));
            try
            {
                transfer.Part.Suspend();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                transfer.Part.Dispose();
            }
        }

        base.PostStop();
    }

    private void OnPacket(Received received)
    {
        var packet = received.Packet;
        if (!packet.TryGet<string>(FilerPackets.IdField, out var id) || id.Length == 0)
        {
            Ignored($"a {packet.Type} without an ID");
            return;
        }

        var key = (received.Connection, id);
        if (packet.Type == FilerPackets.Offer)
        {
            Offer(key, packet);
            return;
        }

        if (ForWaitingOffer(key, packet))
        {
            return;
        }

        if (!_transfers.TryGetValue(key, out var transfer))
        {
            _log.Debug("{Type} for no transfer {Id}", packet.Type, id);
            return;
        }

        switch (packet.Type)
        {
            case FilerPackets.Chunk:
                Chunk(key, transfer, packet);
                break;
            case FilerPackets.Hash:
                Hash(key, transfer, packet.TryAs<FileHash>(out var hash) ? hash.Sha256 : null);
                break;
            case FilerPackets.Done:
                Done(key, transfer);
                break;
            case FilerPackets.Cancel:
                End(key, "cancelled by the sender: " + ((packet.TryAs<FileCancel>(out var cancel) ? cancel.Reason : null) is { } why ? PeerText.Shortened(why, 256) : "no reason given"), deletePart: true);
                break;
            default:
                _log.Debug("ignored {Type} for transfer {Id}", packet.Type, id);
                break;
        }
    }

    private void Offer((IActorRef Connection, string Id) key, Packet packet)
    {
        var read = packet.TryAs<FileOffer>(out var offer);
        var name = offer?.Name ?? "";
        if (_transfers.ContainsKey(key) || IsWaiting(key))
        {
            // Answering would read as the answer to the first offer of this ID, which still stands.
            Ignored($"a second FILE_OFFER for {PeerText.Shortened(key.Id, OfferChecks.MaxIdLength)} ({PeerText.Shortened(name, SafeFileName.MaxLength)}) on one connection");
            return;
        }

        if (OffersInProgress(key.Connection) >= _options.MaxOffersPerPeer)
        {
            Reject(key, name, $"{_options.MaxOffersPerPeer} offers of this peer are in progress already (lan.filer.max-offers-per-peer); offer it when one has ended");
            return;
        }

        string safe = "";
        if ((read ? OfferChecks.Refusal(offer!, _options.MaxChunkSize, out safe) : OfferChecks.FieldsRule(_options.MaxChunkSize)) is { } refusal)
        {
            Reject(key, name, refusal);
            return;
        }

        var checkedOffer = new CheckedOffer(key, name, safe, offer!.Size, offer.Sha256?.ToLowerInvariant(), (int)offer.Chunk);
        if (_options.Decider is { } decider)
        {
            Ask(checkedOffer, decider);
            return;
        }

        Start(checkedOffer);
    }

    /// <summary>Starts receiving an offer that passed every check (and, with a decider, was accepted).</summary>
    private void Start(CheckedOffer offer, bool mayWaitForHash = true)
    {
        var (key, name, safe, size, sha256, chunk) = offer;
        if (sha256 is null && mayWaitForHash && PartFile.HasResumablePart(_options.Folder, safe, size))
        {
            // Perhaps the same file again from a sender that started over (its process restarted): its FILE_HASH,
            // on its way without being asked for, tells, and the answer waits for it.
            AwaitHash(offer);
            return;
        }

        if (_transfers.FirstOrDefault(other => string.Equals(other.Value.Name, safe, StringComparison.OrdinalIgnoreCase)) is { Value: { } running } other)
        {
            if (other.Key.Connection.Equals(key.Connection) || running.Size != size || sha256 is null || running.Part.Sha256 != sha256)
            {
                Reject(key, name, "another file of this name is being received");
                return;
            }

            // The same file again from a new connection: the old one is cut and simply has not said so yet.
            End(other.Key, "superseded by the same file offered again", deletePart: false);
        }

        // The room the transfers in progress still need is taken already, though not yet written.
        var reserved = _transfers.Values.Sum(running => running.Size - running.Part.Length);
        if (_folder.TryOpen(safe, size, sha256, reserved, out var refusal) is not { } part)
        {
            Reject(key, name, refusal);
            return;
        }

        var transfer = new Incoming(safe, size, chunk, part);
        _transfers[key] = transfer;
        key.Connection.Tell(new Send(Packet.From(new FileAccept(key.Id, part.Length))));
        Publish(new TransferStarted(key.Id, safe, part.Length, size, TransferDirection.Receiving));
    }

    private void Chunk((IActorRef Connection, string Id) key, Incoming transfer, Packet chunk)
    {
        var content = chunk.Content;
        var offset = chunk.TryAs<FileChunk>(out var fields) ? fields.Offset : -1;
        if (offset != transfer.Part.Length
            || content.Length > transfer.ChunkSize || offset + content.Length > transfer.Size)
        {
            Cancel(key, $"a chunk at {offset} of {content.Length} bytes does not continue the file at {transfer.Part.Length}", deletePart: true);
            return;
        }

        try
        {
            transfer.Part.Append(content.Span);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Cancel(key, $"writing failed: {_folder.ForPeer(e.Message)}", deletePart: true);
            return;
        }

        key.Connection.Tell(new Send(Packet.From(new FileAck(key.Id, transfer.Part.Length))));
        Publish(new TransferProgress(key.Id, transfer.Name, transfer.Part.Length, transfer.Size, TransferDirection.Receiving));
    }

    private void Hash((IActorRef Connection, string Id) key, Incoming transfer, string? given)
    {
        var sha256 = given?.ToLowerInvariant();
        if (!OfferChecks.IsSha256(sha256) || (transfer.Part.Sha256 is { } known && known != sha256))
        {
            Cancel(key, $"FILE_HASH needs SHA256 as 64 hex digits, and the offer's when the offer had one", deletePart: true);
            return;
        }

        // From the next checkpoint on, the sidecar names the file and a cut transfer can resume.
        transfer.Part.Sha256 = sha256;
    }

    private void Done((IActorRef Connection, string Id) key, Incoming transfer)
    {
        if (transfer.Part.Length != transfer.Size || transfer.Part.Sha256 is null)
        {
            Cancel(key, $"FILE_DONE after {transfer.Part.Length} of {transfer.Size} bytes{(transfer.Part.Sha256 is null ? " and before the file's SHA-256 (FILE_HASH)" : "")}", deletePart: true);
            return;
        }

        string target;
        try
        {
            // Hashed as it was written (no second read of the file), and flushed to disk before it is renamed: a
            // final name always holds the verified bytes.
            var sha256 = transfer.Part.WrittenSha256();
            transfer.Part.Suspend();

            if (sha256 != transfer.Part.Sha256)
            {
                DoneFailed(key, $"SHA-256 mismatch: offered {transfer.Part.Sha256}, received {sha256}");
                return;
            }

            target = _folder.MoveToFinalName(transfer.Part, transfer.Name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DoneFailed(key, $"finishing failed: {_folder.ForPeer(e.Message)}");
            return;
        }

        _transfers.Remove(key);
        transfer.Part.Completed();
        key.Connection.Tell(new Send(Packet.From(new FileDone(key.Id, Ok: true))));
        Publish(new TransferCompleted(key.Id, transfer.Name, transfer.Size, target, TransferDirection.Receiving));
    }

    // A peer can repeat a mistake at will: a flood of them is no flood of log lines.
    private void Ignored(string what)
    {
        if (DecadeLog.IsLogged(++_ignored))
        {
            _log.Warning("ignored {What} ({Count} packets ignored so far)", what, _ignored);
        }
    }

    // The .part goes before the answer leaves, so a sender that sees the answer never sees the .part.
    private void DoneFailed((IActorRef Connection, string Id) key, string reason)
    {
        End(key, reason, deletePart: true);
        key.Connection.Tell(new Send(Packet.From(new FileDone(key.Id, Ok: false, reason))));
    }

    private void Reject((IActorRef Connection, string Id) key, string name, string reason)
    {
        // The name of a refused offer is the peer's as it sent it, unchecked: only its start goes on.
        name = PeerText.Shortened(name, SafeFileName.MaxLength);
        _log.Info("refused {Name}: {Reason}", name, reason);
        key.Connection.Tell(new Send(Packet.From(new FileReject(key.Id, reason))));
        Publish(new TransferFailed(PeerText.Shortened(key.Id, OfferChecks.MaxIdLength), name, reason, TransferDirection.Receiving));
    }

    private void Cancel((IActorRef Connection, string Id) key, string reason, bool deletePart)
    {
        End(key, reason, deletePart);
        key.Connection.Tell(new Send(Packet.From(new FileCancel(key.Id, reason))));
    }

    private void End((IActorRef Connection, string Id) key, string reason, bool deletePart)
    {
        if (!_transfers.Remove(key, out var transfer))
        {
            return;
        }

        if (deletePart)
        {
            transfer.Part.Delete();
        }
        else
        {
            try
            {
                transfer.Part.Suspend();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The sidecar keeps its last checkpoint, still a verified prefix.
                _log.Warning("checkpointing {Path} failed: {Error}", transfer.Part.PartPath, e.Message);
                transfer.Part.Dispose();
            }
        }

        _log.Info("receiving {Name} failed: {Reason}", transfer.Name, reason);
        Publish(new TransferFailed(key.Id, transfer.Name, reason, TransferDirection.Receiving));
    }

    private static void Publish(object @event)
    {
        FilerMetrics.Observe(@event);
        Context.System.EventStream.Publish(@event);
    }

    private int OffersInProgress(IActorRef connection) =>
        _transfers.Keys.Count(key => key.Connection.Equals(connection))
        + _pending.Values.Count(offer => offer.Key.Connection.Equals(connection))
        + _awaitingHash.Keys.Count(key => key.Connection.Equals(connection));

    private sealed record SweepParts
    {
        public static SweepParts Instance { get; } = new();
    }

    private sealed record Incoming(string Name, long Size, int ChunkSize, PartFile Part);

    /// <summary>An offer whose fields passed the checks: <paramref name="Name"/> as offered, <paramref name="Safe"/> as it will be written.</summary>
    private sealed record CheckedOffer((IActorRef Connection, string Id) Key, string Name, string Safe, long Size, string? Sha256, int ChunkSize);
}
