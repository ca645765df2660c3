namespace Lan.Actors.Tests.Hocon;

/// <summary>A folder of its own for one spec's configuration files, removed with the spec.</summary>
internal sealed class TempFiles(string prefix) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in the folder and returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The path <paramref name="name"/> has (or would have) in the folder.</summary>
    public string PathOf(string name) => Path.Combine(_directory, name);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
