namespace Lan.Actors.Tests.Filer;

/// <summary>A fresh folder under the system's temp folder, removed with everything in it when disposed.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "filer")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Writes <paramref name="size"/> pseudo-random bytes (a fixed seed per name) to a file called <paramref name="name"/>.</summary>
    public static string WriteFile(string folder, string name, int size)
    {
        var bytes = new byte[size];
        new Random(Seed(name)).NextBytes(bytes);
        var path = System.IO.Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }

    /// <summary>
    /// A seed that is the same for a name in every run: string.GetHashCode is randomised per process, so it gave each
    /// run other bytes. FNV-1a over the name's UTF-16 code units.
    /// </summary>
    internal static int Seed(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return unchecked((int)hash);
    }
}
