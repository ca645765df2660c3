using Lan.Actors.Hocon;

namespace Lan.Actors.Tests.Hocon;

public sealed class IncludeSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lan-hocon-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string relativePath, string text)
    {
        var path = Path.Combine(_directory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void AnIncludeNameWithADot_AlsoFindsNameDotConf()
    {
        var main = Write("main.conf", "include \"app.v2\"");
        Write("app.v2.conf", "version = 2");
        Assert.Equal(2, HoconConfig.Load(main).GetInt("version"));
    }

    [Fact]
    public void IncludesNestedSixtyFilesDeep_AreRefused_NotAStackOverflow()
    {
        for (var i = 0; i < 60; i++)
        {
            Write($"f{i}.conf", $"include \"f{i + 1}.conf\"\nv{i} = {i}");
        }
        Write("f60.conf", "end = 1");
        var error = Assert.Throws<ConfigException>(() => HoconConfig.Load(Path.Combine(_directory, "f0.conf")).Resolve());
        Assert.Contains("nested more than 50 files deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_IsRelativeToTheIncludingFile()
    {
        var main = Write("main.conf", "include \"sub/child.conf\"\nmain = 1");
        Write("sub/child.conf", "include \"sibling.conf\"\nchild = 2");
        Write("sub/sibling.conf", "sibling = 3");
        Assert.Equal("""{"sibling":3,"child":2,"main":1}""", HoconConfig.Load(main).ToString());
    }

    [Fact]
    public void IncludeForms_FileAndRequired_AndAMissingExtension_AllWork()
    {
        var main = Write("main.conf", "include file(\"a.conf\")\ninclude required(\"b.conf\")\ninclude required(file(\"c\"))");
        Write("a.conf", "a = 1");
        Write("b.conf", "b = 2");
        Write("c.conf", "c = 3");
        Assert.Equal("""{"a":1,"b":2,"c":3}""", HoconConfig.Load(main).ToString());
    }

    [Fact]
    public void MissingOptionalInclude_IsIgnored()
    {
        var main = Write("main.conf", "include \"absent.conf\"\na = 1");
        Assert.Equal("""{"a":1}""", HoconConfig.Load(main).ToString());
    }

    [Fact]
    public void MissingRequiredInclude_IsAnError_AtTheIncludeLine()
    {
        var main = Write("main.conf", "a = 1\ninclude required(\"absent.conf\")");
        var error = HoconText.Error(() => HoconConfig.Load(main));
        Assert.StartsWith(main + ":2: required include \"absent.conf\" not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IncludedKeys_OverrideEarlierKeys_AndLaterKeysOverrideThem()
    {
        var main = Write("main.conf", "x = before\ny = before\ninclude \"inc.conf\"\ny = after");
        Write("inc.conf", "x = included\ny = included");
        var config = HoconConfig.Load(main);
        Assert.Equal("included", config.GetString("x"));
        Assert.Equal("after", config.GetString("y"));
    }

    [Fact]
    public void IncludeInsideAnObject_RelativizesItsSubstitutions()
    {
        var main = Write("main.conf", "top = 7\na { include \"foo.conf\" }\na { x = 42 }");
        Write("foo.conf", "x = 10\ny = ${x}\nz = ${top}");
        var config = HoconConfig.Load(main);
        Assert.Equal(42, config.GetInt("a.y"));
        Assert.Equal(7, config.GetInt("a.z"));
    }

    [Fact]
    public void ErrorsInAnIncludedFile_NameThatFile()
    {
        var main = Write("main.conf", "include \"bad.conf\"");
        var bad = Write("bad.conf", "ok = 1\nbroken = [1, 2");
        var error = HoconText.Error(() => HoconConfig.Load(main));
        Assert.StartsWith(bad + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains("'[' opened on line 2 is not closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IncludeCycle_IsAnError()
    {
        var main = Write("a.conf", "include \"b.conf\"");
        Write("b.conf", "include \"a.conf\"");
        var error = HoconText.Error(() => HoconConfig.Load(main));
        Assert.Contains("include cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IncludedFileWithAListAtTheRoot_IsAnError()
    {
        var main = Write("main.conf", "include \"list.conf\"");
        Write("list.conf", "[1, 2]");
        var error = HoconText.Error(() => HoconConfig.Load(main));
        Assert.Contains("must be an object", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadingAMissingFile_NamesTheFile()
    {
        var missing = Path.Combine(_directory, "nope.conf");
        var error = HoconText.Error(() => HoconConfig.Load(missing));
        Assert.StartsWith(missing + ": file not found", error.Message, StringComparison.Ordinal);
    }
}
