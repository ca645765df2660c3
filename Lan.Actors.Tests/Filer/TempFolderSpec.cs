namespace Lan.Actors.Tests.Filer;

/// <summary>The specs' test files are the same bytes in every run: a seed per name that no process randomises.</summary>
public sealed class TempFolderSpec
{
    [Fact]
    public void TheSeedOfAName_IsTheSameInEveryProcess()
    {
        // FNV-1a of "big.bin", computed outside .NET: string.GetHashCode would differ from process to process.
        Assert.Equal(-1999916530, TempFolder.Seed("big.bin"));
        Assert.NotEqual(TempFolder.Seed("big.bin"), TempFolder.Seed("big.bim"));
    }
}
