using System.Diagnostics;

namespace Lan.Actors.Tests.Commands;

/// <summary>
/// Where the <c>lan-node</c> processes specs start keep their identities and trust stores: a folder of this test run
/// (their XDG_DATA_HOME, which .NET's local application data follows), removed when the run ends, never the user's own.
/// </summary>
internal static class ProcessDataHome
{
    public static string Folder { get; } = Create();

    public static void ApplyTo(ProcessStartInfo start) => start.Environment["XDG_DATA_HOME"] = Folder;

    private static string Create()
    {
        var folder = Directory.CreateTempSubdirectory("lan-node-data-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A process still writing there at the very end: the temporary folder is the system's to clean.
            }
        };
        return folder;
    }
}
