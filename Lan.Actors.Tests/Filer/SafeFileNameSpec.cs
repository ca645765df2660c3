using Lan.Actors.Filer;

namespace Lan.Actors.Tests.Filer;

public sealed class SafeFileNameSpec : IDisposable
{
    private readonly TempFolder _temp = new("filer-names");

    public static TheoryData<string> HostileNames => new()
    {
        "",
        " ",
        "\t",
        ".",
        "..",
        "...",
        "../escape.txt",
        "..\\escape.txt",
        "../../etc/passwd",
        "/etc/passwd",
        "\\\\server\\share\\file",
        "C:\\Windows\\win.ini",
        "C:evil.txt",
        "sub/file.txt",
        "sub\\file.txt",
        "a/../../b",
        ".bashrc",
        ".ssh",
        ".hidden.txt",
        "CON",
        "con.txt",
        "NUL",
        "nul.tar.gz",
        "PRN.log",
        "AUX",
        "COM1",
        "com9.txt",
        "LPT1",
        "LPT¹.txt",
        "CONIN$",
        "file\0.txt",
        "line\nbreak.txt",
        "bell\a.txt",
        "escape\u001b[31m.txt",
        "del\u007f.txt",
        "right-to-left\u202Etxt.exe",
        "zero\u200Bwidth.txt",
        "trailing-dot.",
        "trailing-space ",
        " leading-space.txt",
        "star*.txt",
        "question?.txt",
        "pipe|.txt",
        "quote\".txt",
        "angle<>.txt",
        "colon:stream",
        "~/.ssh/authorized_keys",
        "resume-me.part",
        "resume-me.part.json",
        new string('a', SafeFileName.MaxLength + 1),
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void HostileName_IsRefusedWithAReason_AndNothingIsWrittenAnywhere(string name)
    {
        var folder = _temp.Sub("inbox");
        Assert.False(SafeFileName.TryCheck(name, out var safe, out var reason));
        Assert.Null(safe);
        Assert.False(string.IsNullOrWhiteSpace(reason));
        Assert.ThrowsAny<ArgumentException>(() => SafeFileName.ResolveTarget(folder, name));
        Assert.Equal([folder], Directory.EnumerateFileSystemEntries(_temp.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void LoneSurrogate_IsRefused()
    {
        // Not theory data: xunit would turn the lone surrogate into U+FFFD on the way.
        Assert.False(SafeFileName.TryCheck("lone\uD800surrogate.txt", out _, out var reason));
        Assert.Contains("surrogate", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\uFF23\uFF2F\uFF2E", "CON is a reserved device name")] // fullwidth ＣＯＮ
    [InlineData("\uFF4E\uFF55\uFF4C.txt", "nul is a reserved device name")] // fullwidth ｎｕｌ.txt
    [InlineData("\uFF0Ehidden", "hidden")] // fullwidth full stop
    [InlineData("report.pdf\u00A0", "ends with a dot or a space")] // trailing no-break space
    [InlineData("report.pdf\u3000", "ends with a dot or a space")] // trailing ideographic space
    [InlineData("\u2003report.pdf", "starts with a space")] // leading em space
    [InlineData("a\uFF0Fb.txt", "path separator")] // fullwidth solidus
    [InlineData("notes.\uFF50\uFF41\uFF52\uFF54", "partial files")] // fullwidth .ｐａｒｔ
    [InlineData("a\u2215b.txt", "path separator")] // division slash
    [InlineData("readme\uFE52", "ends with a dot")] // small full stop
    public void ANameThatIsAHarmfulOneInDisguise_LookAlikeOrInvisible_IsRefused_SayingWhatItReadsAs(string name, string reason)
    {
        Assert.False(SafeFileName.TryCheck(name, out _, out var refusal));
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\uFB01le.txt")] // the ﬁ ligature
    [InlineData("\uFF8C\uFF67\uFF72\uFF99.txt")] // half-width katakana
    [InlineData("mid\u00A0space.txt")]
    public void ANameWhoseFoldedFormIsHarmless_IsAcceptedAsWritten(string name)
    {
        Assert.True(SafeFileName.TryCheck(name, out var safe, out _));
        Assert.Equal(name, safe);
    }

    [Fact]
    public void HostileNames_AreAtLeastThirty() => Assert.True(HostileNames.Count >= 30);

    [Theory]
    [InlineData("report.pdf")]
    [InlineData("photo 2026-11-25.jpeg")]
    [InlineData("Ünïcödé naïve café.txt")]
    [InlineData("日本語のファイル.txt")]
    [InlineData("emoji 😀.png")]
    [InlineData("no-extension")]
    [InlineData("archive.tar.gz")]
    [InlineData("CONSOLE.txt")]
    [InlineData("a..b.txt")]
    public void OrdinaryName_IsAcceptedAsItIs_AndResolvesInsideTheFolder(string name)
    {
        var folder = _temp.Sub("inbox");
        Assert.True(SafeFileName.TryCheck(name, out var safe, out var reason), reason);
        Assert.Equal(name, safe);
        var target = SafeFileName.ResolveTarget(folder, safe);
        Assert.Equal(Path.GetFullPath(folder), Path.GetDirectoryName(target));
        Assert.Equal(name, Path.GetFileName(target));
    }

    [Fact]
    public void ExistingFile_IsNeverChosen_TheNextFreeNumberedNameIs()
    {
        var folder = _temp.Sub("inbox");
        File.WriteAllText(Path.Combine(folder, "a.txt"), "first");
        Assert.Equal(Path.Combine(folder, "a (1).txt"), SafeFileName.ResolveTarget(folder, "a.txt"));
        File.WriteAllText(Path.Combine(folder, "a (1).txt"), "second");
        Directory.CreateDirectory(Path.Combine(folder, "a (2).txt"));
        Assert.Equal(Path.Combine(folder, "a (3).txt"), SafeFileName.ResolveTarget(folder, "a.txt"));
        Assert.Equal(Path.Combine(folder, "b"), SafeFileName.ResolveTarget(folder, "b"));
        File.WriteAllText(Path.Combine(folder, "b"), "");
        Assert.Equal(Path.Combine(folder, "b (1)"), SafeFileName.ResolveTarget(folder, "b"));
        Assert.Equal("first", File.ReadAllText(Path.Combine(folder, "a.txt")));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("/tmp/x")]
    [InlineData("sub/x")]
    public void Inside_RefusesAnyPathThatLeavesTheFolder(string name)
    {
        var folder = _temp.Sub("inbox");
        Assert.Throws<ArgumentException>(() => SafeFileName.Inside(folder, name));
    }

    public void Dispose() => _temp.Dispose();
}
