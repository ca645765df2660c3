namespace Lan.Actors.Protocol;

/// <summary>Formats byte counts the way HOCON sizes are written, so messages match the config a user edits.</summary>
internal static class ByteSizeText
{
    private const long KiB = 1024;
    private const long MiB = 1024 * KiB;
    private const long GiB = 1024 * MiB;

    public static string Format(long bytes) => bytes switch
    {
        >= GiB when bytes % GiB == 0 => $"{bytes / GiB} GiB",
        >= MiB when bytes % MiB == 0 => $"{bytes / MiB} MiB",
        >= KiB when bytes % KiB == 0 => $"{bytes / KiB} KiB",
        _ => $"{bytes} bytes",
    };
}
