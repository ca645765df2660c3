using Lan.Actors.Filer;

namespace Lan.Actors.Tests.Filer;

public sealed class PartFileSpec : IDisposable
{
    private const string Sha256 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    private readonly TempFolder _temp = new("filer-part");

    private static Stream OpenForWrite(string path) => new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write);

    [Fact]
    public void MachineCrash_ResumesFromTheLastCheckpoint_NotFromBytesNeverRecorded()
    {
        var part = PartFile.Open(_temp.Path, "c.bin", 10, Sha256, OpenForWrite, checkpointBytes: 4);
        part.Append([1, 2, 3]);
        Assert.Equal(0, Reopened(10, Sha256));
        part.Append([4, 5]);
        Assert.Equal(5, Reopened(10, Sha256));
        part.Append([6, 7]);
        // A crash: the file closes without a last checkpoint, so bytes 6 and 7 are not vouched for.
        part.Dispose();

        using var resumed = PartFile.Open(_temp.Path, "c.bin", 10, Sha256, OpenForWrite, checkpointBytes: 4);
        Assert.Equal(5, resumed.Length);
        resumed.Dispose();
        Assert.Equal([1, 2, 3, 4, 5], File.ReadAllBytes(Path.Combine(_temp.Path, "c.bin.part")));
    }

    [Fact]
    public void Suspend_RecordsEverythingWritten_AndAnotherFileOfTheSameNameStartsFromZero()
    {
        var part = PartFile.Open(_temp.Path, "s.bin", 10, Sha256, OpenForWrite, checkpointBytes: 1024);
        part.Append([1, 2, 3]);
        part.Suspend();
        Assert.Equal(3, Reopened(10, Sha256));
        Assert.Equal(0, Reopened(11, Sha256));
        Assert.Equal(0, Reopened(10, Sha256.Replace('0', '1')));
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>Where a new attempt at the file would start, judged from the sidecar alone (the .part is left as it is).</summary>
    private long Reopened(long size, string sha256)
    {
        var copy = Path.Combine(_temp.Path, "probe");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(_temp.Path))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)), overwrite: true);
        }

        using var part = PartFile.Open(copy, Path.GetFileName(Directory.EnumerateFiles(copy, "*.part").Single())[..^".part".Length], size, sha256, path => new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite), checkpointBytes: 1024);
        var length = part.Length;
        part.Dispose();
        Directory.Delete(copy, recursive: true);
        return length;
    }
}
