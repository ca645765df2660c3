using Akka.Event;

namespace Lan.Actors.Filer;

/// <summary>
/// The receive folder as a <see cref="FileReceiverHandler"/> uses it: opens the <c>.part</c> of an accepted offer when
/// the file system has room for the rest of the file, and gives a verified file its final, never-overwriting name.
/// </summary>
internal sealed class ReceiveFolder(FileReceiverOptions options, ILoggingAdapter log)
{
    /// <summary>
    /// Opens the <c>.part</c> of <paramref name="safeName"/>, resuming a verified prefix of the same file; null with the
    /// <paramref name="refusal"/> to send when the folder cannot be written or has no room for the rest of the file
    /// beside the <paramref name="reserved"/> bytes the transfers in progress still need.
    /// </summary>
    public PartFile? TryOpen(string safeName, long size, string? sha256, long reserved, out string refusal)
    {
        PartFile part;
        try
        {
            part = PartFile.Open(options.Folder, safeName, size, sha256, options.OpenPart, options.CheckpointBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            refusal = $"cannot write in the receive folder: {ForPeer(e.Message)}";
            return null;
        }

        var free = FreeBytes();
        var room = free == long.MaxValue ? free : Math.Max(0, free - reserved);
        if (size - part.Length > room)
        {
            // A resumable prefix stays for when there is room; an empty .part goes.
            if (part.Length > 0)
            {
                part.Suspend();
            }
            else
            {
                part.Delete();
            }

            refusal = reserved > 0 && free != long.MaxValue
                ? $"not enough free space: {size - part.Length} bytes needed, {free} free of which {reserved} are promised to transfers in progress"
                : $"not enough free space: {size - part.Length} bytes needed, {free} free";
            return null;
        }

        refusal = "";
        return part;
    }

    /// <summary>Renames a verified <c>.part</c> to the first free name for <paramref name="safeName"/>; returns that path.</summary>
    public string MoveToFinalName(PartFile part, string safeName)
    {
        while (true)
        {
            var target = SafeFileName.ResolveTarget(options.Folder, safeName);
            try
            {
                File.Move(part.PartPath, target, overwrite: false);
                return target;
            }
            catch (IOException) when (File.Exists(target))
            {
                // Another writer took the name between the check and the move: pick the next number.
            }
        }
    }

    /// <summary>
    /// An error's text with the receive folder's path taken out, for a reason that goes to a peer: where this machine
    /// keeps its files is none of the sender's business.
    /// </summary>
    public string ForPeer(string message)
    {
        var root = Path.GetFullPath(options.Folder);
        return message
            .Replace(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)
            .Replace(Path.TrimEndingDirectorySeparator(root), "the receive folder", StringComparison.Ordinal);
    }

    /// <summary>
    /// Removes the <c>.part</c> files and sidecars nobody wrote to for <see cref="FileReceiverOptions.PartExpireAfter"/>,
    /// except those of the transfers in progress (<paramref name="inUse"/>): an abandoned transfer must not hold disk for ever.
    /// </summary>
    public void DeleteExpiredParts(IEnumerable<string> inUse)
    {
        var keep = new HashSet<string>(inUse, StringComparer.Ordinal);
        var before = options.Clock.GetUtcNow().UtcDateTime - options.PartExpireAfter;
        try
        {
            foreach (var file in Directory.EnumerateFiles(options.Folder, "*" + SafeFileName.PartSuffix)
                .Concat(Directory.EnumerateFiles(options.Folder, "*" + SafeFileName.SidecarSuffix)).ToList())
            {
                var part = file.EndsWith(SafeFileName.SidecarSuffix, StringComparison.Ordinal) ? file[..^".json".Length] : file;
                if (keep.Contains(Path.GetFullPath(part)) || File.GetLastWriteTimeUtc(file) > before || (File.Exists(part) && File.GetLastWriteTimeUtc(part) > before))
                {
                    continue;
                }

                log.Info("removing {File}: not written to for {Days} days (lan.filer.part-expire-after)", Path.GetFileName(file), (int)options.PartExpireAfter.TotalDays);
                File.Delete(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning("looking for expired .part files in {Folder} failed: {Error}", options.Folder, e.Message);
        }
    }

    private long FreeBytes()
    {
        try
        {
            return options.FreeSpace(options.Folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            log.Warning("free space of {Folder} unknown: {Error}", options.Folder, e.Message);
            return long.MaxValue;
        }
    }
}
