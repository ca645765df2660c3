using Akka.Event;

namespace Lan.Actors.Filer;

/// <summary>
/// The receive folder as a <see cref="FileReceiverHandler"/> uses it: opens the <c>.part</c> of an accepted offer when
/// the file system has room for the rest of the file, and gives a verified file its final, never-overwriting name.
/// </summary>
internal sealed class ReceiveFolder(FileReceiverOptions options, ILoggingAdapter log)
{
    public string Path => options.Folder;

    /// <summary>
    /// Opens the <c>.part</c> of <paramref name="safeName"/>, resuming a verified prefix of the same file; null with the
    /// <paramref name="refusal"/> to send when the folder cannot be written or has no room for the rest of the file.
    /// </summary>
    public PartFile? TryOpen(string safeName, long size, string? sha256, out string refusal)
    {
        PartFile part;
        try
        {
            part = PartFile.Open(options.Folder, safeName, size, sha256, options.OpenPart, options.CheckpointBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            refusal = $"cannot write in the receive folder: {e.Message}";
            return null;
        }

        var free = FreeBytes();
        if (size - part.Length > free)
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

            refusal = $"not enough free space: {size - part.Length} bytes needed, {free} free";
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
