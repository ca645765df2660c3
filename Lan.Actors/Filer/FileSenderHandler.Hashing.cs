using System.Security.Cryptography;
using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Filer;

// The sender's hashing: a large file is hashed on a pool thread while its chunks flow, the result piped back.
public sealed partial class FileSenderHandler
{
    private void HashInBackground(OutgoingFile transfer)
    {
        var id = transfer.Id;
        var path = transfer.Path;
        var cancel = transfer.Hashing.Token;
        transfer.HashTask = Task.Run(() => HashFile(path, cancel), cancel);
        transfer.HashTask.PipeTo(
            Self,
            success: sha256 => new Hashed(id, sha256),
            failure: e => new Hashed(id, null, e is OperationCanceledException ? null : e.GetBaseException().Message));
    }

    private static string HashFile(string path, CancellationToken cancel)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[256 * 1024];
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            cancel.ThrowIfCancellationRequested();
            hash.AppendData(buffer, 0, read);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private void OnHashed(Hashed hashed)
    {
        var transfer = _current!;
        if (hashed.Sha256 is null)
        {
            Cancel($"the sender cannot read its file: {hashed.Error}");
            return;
        }

        transfer.Sha256 = hashed.Sha256;
        _connection?.Tell(new Send(Packet.From(new FileHash(transfer.Id, hashed.Sha256))));
        if (transfer.Accepted)
        {
            Pump();
        }

        ArmReceiverTimer();
    }

    /// <summary>A hash computed (or being computed) before, valid while the file keeps its size and last write time.</summary>
    private sealed record HashOf(long Size, DateTime WrittenAt, Task<string> Sha256, CancellationTokenSource Hashing);

    /// <summary>The hash a cut file waited for has settled, either way.</summary>
    private sealed record HashSettled
    {
        public static HashSettled Instance { get; } = new();
    }

    /// <summary>The background hashing's result: the hash, or an error, or neither when it was cancelled.</summary>
    private sealed record Hashed(string Id, string? Sha256, string? Error = null);
}
