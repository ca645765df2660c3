using System.Runtime.InteropServices;

namespace Lan.Actors.Tests.Scenarios;

/// <summary>
/// What glibc's malloc has in use for the whole process, every arena and the blocks it mapped: the native memory a node
/// can be made to hold (TLS buffers, the runtime's own structures). RSS less the GC's committed heap does not tell it:
/// the GC commits pages it has not touched yet, and gives back pages at its own pace.
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>Bytes in use, or null where there is no glibc 2.33 or later (mallinfo2).</summary>
    public static long? InUse()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var info = MallInfo2();
            return (long)(info.InUseBytes + info.MappedBytes);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    // struct mallinfo2, field for field (malloc.h): arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost.
    [StructLayout(LayoutKind.Sequential)]
    private struct MallocInfo
    {
        public nuint Arena;
        public nuint FreeChunks;
        public nuint FastBins;
        public nuint MappedRegions;
        public nuint MappedBytes;
        public nuint Unused;
        public nuint FreedFastBytes;
        public nuint InUseBytes;
        public nuint FreeBytes;
        public nuint KeepCost;
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallocInfo MallInfo2();
}
