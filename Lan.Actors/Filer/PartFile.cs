using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lan.Actors.Filer;

/// <summary>What the sidecar <c>NAME.part.json</c> records: which file the <c>.part</c> belongs to and how much of it is verified.</summary>
/// <param name="Size">The offered file's size.</param>
/// <param name="Sha256">The offered file's SHA-256, lower-case hex; null until the sender told it (no resume before).</param>
/// <param name="Length">Bytes of the <c>.part</c> flushed to disk before this record was written.</param>
internal sealed record PartRecord(long Size, string? Sha256, long Length);

[JsonSerializable(typeof(PartRecord))]
internal sealed partial class PartRecordJsonContext : JsonSerializerContext;

/// <summary>
/// One <c>NAME.part</c> being written in the receive folder and its sidecar <c>NAME.part.json</c>. The sidecar is
/// rewritten only after the bytes it counts were flushed to disk, at checkpoints (every so many bytes, and when the
/// transfer stops), so its length is always a verified prefix of the file. The SHA-256 of what was written is
/// kept as the bytes go by (a resumed prefix is read once, when opened), so the end needs no second read.
/// </summary>
internal sealed class PartFile : IDisposable
{
    private readonly long _size;
    private readonly long _checkpointBytes;
    private Stream? _stream;
    private IncrementalHash? _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _recorded;

    private PartFile(string path, long size, string? sha256, long checkpointBytes)
    {
        _checkpointBytes = checkpointBytes;
        PartPath = path;
        SidecarPath = SidecarOf(path);
        _size = size;
        Sha256 = sha256;
    }

    public string PartPath { get; }

    public string SidecarPath { get; }

    /// <summary>
    /// The file's SHA-256 as the sender gave it, lower-case hex: from the offer, or set when a <c>FILE_HASH</c> comes;
    /// the sidecar records it at the next checkpoint, and only a sidecar with a hash lets a later offer resume.
    /// </summary>
    public string? Sha256 { get; set; }

    /// <summary>Bytes written so far (the sidecar records those flushed at the last checkpoint).</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Opens the <c>.part</c> for <paramref name="safeName"/> in <paramref name="folder"/>: at the sidecar's verified
    /// length when an earlier attempt at the same file (same size and SHA-256) left one, at zero otherwise, and always
    /// at zero when <paramref name="sha256"/> is not known yet.
    /// </summary>
    public static PartFile Open(string folder, string safeName, long size, string? sha256, Func<string, Stream> open, long checkpointBytes)
    {
        var part = new PartFile(SafeFileName.Inside(folder, safeName + SafeFileName.PartSuffix), size, sha256, checkpointBytes);
        var from = part.VerifiedLength();
        try
        {
            part.HashPrefix(from);
            var stream = open(part.PartPath);
            part._stream = stream;
            stream.SetLength(from);
            stream.Seek(from, SeekOrigin.Begin);
            part.Length = from;
            part.WriteSidecar();
            return part;
        }
        catch
        {
            part.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> at the end; a checkpoint follows once enough bytes are unrecorded.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        var stream = _stream ?? throw new ObjectDisposedException(PartPath);
        stream.Write(bytes);
        _hash!.AppendData(bytes);
        Length += bytes.Length;
        if (Length - _recorded >= _checkpointBytes)
        {
            Checkpoint();
        }
    }

    /// <summary>The SHA-256 of the bytes written so far (the resumed prefix included), lower-case hex.</summary>
    public string WrittenSha256() =>
        Convert.ToHexStringLower((_hash ?? throw new ObjectDisposedException(PartPath)).GetCurrentHash());

    /// <summary>Flushes what was written to disk, then records its length in the sidecar.</summary>
    public void Checkpoint()
    {
        var stream = _stream ?? throw new ObjectDisposedException(PartPath);
        if (stream is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }
        else
        {
            stream.Flush();
        }

        WriteSidecar();
    }

    /// <summary>Records what was written (a last checkpoint), then closes the file, keeping it and its sidecar for a resume.</summary>
    public void Suspend()
    {
        if (_stream is not null)
        {
            Checkpoint();
        }

        Dispose();
    }

    /// <summary>Closes the file; what the sidecar records stays as it is.</summary>
    public void Dispose()
    {
        _hash?.Dispose();
        _hash = null;
        _stream?.Dispose();
        _stream = null;
    }

    /// <summary>Closes and removes the <c>.part</c> and its sidecar; never throws.</summary>
    public void Delete()
    {
        try
        {
            Dispose();
        }
        catch (IOException)
        {
            // A failed final flush: the file goes anyway.
        }

        TryDelete(PartPath);
        TryDelete(SidecarPath);
    }

    /// <summary>Closes the file and removes the sidecar once the <c>.part</c> was renamed to its final name.</summary>
    public void Completed()
    {
        Dispose();
        TryDelete(SidecarPath);
    }

    /// <summary>
    /// True when an earlier attempt left a resumable <c>.part</c> for a file of this name and size, with its hash
    /// recorded: an offer without <c>SHA256</c> should then wait for the sender's <c>FILE_HASH</c> to tell whether it
    /// is the same file.
    /// </summary>
    public static bool HasResumablePart(string folder, string safeName, long size) =>
        ReadRecord(SafeFileName.Inside(folder, safeName + SafeFileName.PartSuffix), size) is { Sha256: not null, Length: > 0 };

    private long VerifiedLength() =>
        Sha256 is not null && ReadRecord(PartPath, _size) is { } record && string.Equals(record.Sha256, Sha256, StringComparison.OrdinalIgnoreCase) ? record.Length : 0;

    /// <summary>The sidecar's record when it is readable, for a file of <paramref name="size"/>, and the <c>.part</c> holds what it counts.</summary>
    private static PartRecord? ReadRecord(string partPath, long size)
    {
        var sidecar = SidecarOf(partPath);
        try
        {
            if (File.Exists(sidecar) && File.Exists(partPath))
            {
                var record = JsonSerializer.Deserialize(File.ReadAllBytes(sidecar), PartRecordJsonContext.Default.PartRecord);
                if (record is not null && record.Size == size && record.Length >= 0 && record.Length <= size && new FileInfo(partPath).Length >= record.Length)
                {
                    return record;
                }
            }
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            // An unreadable sidecar proves nothing: start again.
        }

        return null;
    }

    /// <summary>Where the record of a <c>.part</c>'s verified length and hash lives: beside it.</summary>
    private static string SidecarOf(string partPath) => partPath + ".json";

    private void HashPrefix(long length)
    {
        if (length == 0)
        {
            return;
        }

        using var prefix = new FileStream(PartPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 0, FileOptions.SequentialScan);
        var buffer = new byte[64 * 1024];
        for (var left = length; left > 0;)
        {
            var read = prefix.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                throw new IOException($"{PartPath} ended before its verified length {length}");
            }

            _hash!.AppendData(buffer, 0, read);
            left -= read;
        }
    }

    private void WriteSidecar()
    {
        // Written beside and renamed over, so a crash leaves the old record or the new one, never half of one.
        var temporary = SidecarPath + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(new PartRecord(_size, Sha256, Length), PartRecordJsonContext.Default.PartRecord));
        File.Move(temporary, SidecarPath, overwrite: true);
        _recorded = Length;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            File.Delete(path + ".tmp");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover is found and replaced by the next attempt.
        }
    }
}
