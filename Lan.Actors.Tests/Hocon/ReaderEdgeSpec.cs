using System.Globalization;
using System.Text;
using Lan.Actors.Hocon;

namespace Lan.Actors.Tests.Hocon;

/// <summary>Edges of the reader that the mutation run showed no spec would notice breaking.</summary>
public sealed class ReaderEdgeSpec : IDisposable
{
    private readonly TempFiles _files = new("lan-hocon-edges-");

    public void Dispose() => _files.Dispose();

    private string Write(string name, string text) => _files.Write(name, text);

    [Theory]
    [InlineData("\n\n  { a = 1 }\n\n  ", "{\"a\":1}")]
    [InlineData("a b = 1", "{\"a b\":1}")]
    [InlineData("a \"b\" = 1", "{\"a b\":1}")]
    [InlineData("x = 1\ny = ${ x }", "{\"x\":1,\"y\":1}")]
    [InlineData("a = 1 // note", "{\"a\":1}")]
    [InlineData("a = x/y", "{\"a\":\"x/y\"}")]
    [InlineData("a\u2003=\u20031\nb\u00a0=\u00a02", "{\"a\":1,\"b\":2}")]
    [InlineData("a = \"x\\by\\fz\"", "{\"a\":\"x\\by\\fz\"}")]
    [InlineData("a = 1.x", "{\"a\":\"1.x\"}")]
    [InlineData("a = 1.", "{\"a\":\"1.\"}")]
    [InlineData("x = 1\na = [{ b = ${x} }]", "{\"x\":1,\"a\":[{\"b\":1}]}")]
    [InlineData("x { z = 0 }\na = ${x}\na { b = 1 }\na { c = 2 }", "{\"x\":{\"z\":0},\"a\":{\"z\":0,\"b\":1,\"c\":2}}")]
    public void Text_ReadsAsDocumented(string text, string json) =>
        Assert.Equal(json, HoconText.Json(text));

    [Theory]
    [InlineData("{ a = 1 } b", "<string>:1: unexpected 'b' after the '}' that closes the root object")]
    [InlineData("a + 1", "<string>:1: a: expected '=', ':' or '{' after the key, found '+'")]
    [InlineData(".a = 1", "<string>:1: a key has an empty part")]
    [InlineData("= 1", "<string>:1: expected a key, found '='")]
    [InlineData("\"\"\"a\"\"\" = 1", "<string>:1: a key cannot be a \"\"\" string")]
    [InlineData("a = $", "<string>:1: a: '$' starts a substitution")]
    [InlineData("a = \"\\u00", "<string>:1: \\u must be followed by four hex digits, e.g. \\u00e9")]
    [InlineData("a = \"\\u00e9", "<string>:1: the string opened on line 1 is not closed")]
    [InlineData("a = \"", "<string>:1: the string opened on line 1 is not closed")]
    [InlineData("a = \"\"\"open\n\nstill open", "<string>:3: the \"\"\" string opened on line 1 is not closed")]
    [InlineData("a = ${b\n}", "<string>:1: expected '}' to close ${b, found a newline")]
    [InlineData("a = 1\ninclude", "<string>:2: include: expected '=', ':' or '{' after the key, found the end of the text")]
    [InlineData("a = 1\ninclude  ", "<string>:2: include: expected '=', ':' or '{' after the key, found the end of the text")]
    public void Mistakes_GiveTheLineAndWhatToFix(string text, string start) =>
        Assert.StartsWith(start, HoconText.Error(() => HoconText.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void AKeyBeyondTwoHundredLevels_IsNamedByItsFirstThreeSegments()
    {
        var key = string.Join('.', Enumerable.Range(1, 201).Select(i => $"k{i}"));

        var error = HoconText.Error(() => HoconText.Parse($"{key} = 1"));

        Assert.Equal("k1.k2.k3.…", error.Path);
        Assert.Contains("the key has more than 200 levels; flatten it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManySiblings_DoNotAddUpToDepth()
    {
        var objects = string.Concat(Enumerable.Range(0, 300).Select(i => $"k{i} {{ }}\n"));
        var lists = "a = [" + string.Join(',', Enumerable.Repeat("[]", 300)) + "]";

        Assert.Equal(300, HoconText.Parse(objects).Root.Count);
        Assert.Equal(300, ((HoconArray)HoconText.Parse(lists).GetValue("a")!).Items.Count);
    }

    [Fact]
    public void ObjectsInsideLists_CountTowardsTheNestingLimit()
    {
        static string Nested(int pairs) => "a = " + string.Concat(Enumerable.Repeat("[{x = ", pairs)) + "1" + string.Concat(Enumerable.Repeat("}]", pairs));

        Assert.True(HoconText.Parse(Nested(100)).HasPath("a"));
        Assert.Contains("objects and lists are nested more than 200 deep", HoconText.Error(() => HoconText.Parse(Nested(101))).Message, StringComparison.Ordinal);
    }

    private static string Chain(int links)
    {
        var text = new StringBuilder();
        for (var i = 0; i < links; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"a{i} = ${{a{i + 1}}}\n");
        }

        return text.Append(CultureInfo.InvariantCulture, $"a{links} = 1\n").ToString();
    }

    [Fact]
    public void ASubstitutionChainOf256Links_Resolves_And257AreRefused()
    {
        Assert.Equal(1, HoconText.Parse(Chain(256)).GetInt("a0"));
        Assert.Contains("chained more than 256 deep (from a0)", HoconText.Error(() => HoconText.Parse(Chain(257)).Root).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SubstitutionErrorsInsideLists_NameNoField()
    {
        Assert.StartsWith("<string>:1: ${nope} is not defined", HoconText.Error(() => HoconText.Parse("a = [${nope}]").Root).Message, StringComparison.Ordinal);
        Assert.StartsWith("<string>:2: cannot concatenate", HoconText.Error(() => HoconText.Parse("x = [1]\na = [${x} {b = 1}]").Root).Message, StringComparison.Ordinal);
        Assert.StartsWith("<string>:2: a: cannot concatenate a list with an object; only strings, only lists or only objects can be joined",
            HoconText.Error(() => HoconText.Parse("x = [1]\na = ${x} {b = 1}").Root).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AValueFromTheEnvironment_SaysSoInItsErrors()
    {
        var config = HoconConfig.Parse("a = ${N}", null, name => name == "N" ? "many" : null);

        Assert.StartsWith("environment variable N: a: expected a whole number", HoconText.Error(() => config.GetInt("a")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sizes_AtTheLimitOfALong_AndBeyondADecimal()
    {
        Assert.Equal(long.MaxValue, HoconText.Parse("s = 9223372036854775807B").GetByteSize("s"));
        Assert.Contains("expected a size such as 1MiB", HoconText.Error(() => HoconText.Parse("s = 1e20EiB").GetByteSize("s")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigApi_GuardsItsArguments_AndKeepsItsIdentityWhereNothingChanges()
    {
        var config = HoconText.Parse("a = 1");

        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => HoconConfig.Parse(null!)).ParamName);
        Assert.Equal("environment", Assert.Throws<ArgumentNullException>(() => HoconConfig.Parse("a = 1", null, null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => HoconConfig.Load(null!)).ParamName);
        Assert.Equal("fallback", Assert.Throws<ArgumentNullException>(() => config.WithFallback(null!)).ParamName);
        Assert.Same(config, config.WithFallback(config));
        Assert.Same(config, config.WithFallback(HoconConfig.Empty));
        Assert.Equal("<empty>", HoconConfig.Empty.Root.Origin.Name);
        Assert.Equal("<empty>", config.GetConfig("absent").Root.Origin.Name);
        Assert.Equal("reference.conf", HoconConfig.Reference.GetValue("lan.protocol.max-depth")!.Origin.Name);
        Assert.Equal("the configuration is invalid", new ConfigException().Message);
    }

    [Theory]
    [InlineData("a = 1", "expected a list such as [\"a\", \"b\"], got ")]
    [InlineData("a = [1, {b = 2}]", "expected a list of strings, got ")]
    [InlineData("a = [1, null]", "expected a list of strings, got ")]
    public void GetStringList_SaysWhatItWanted(string text, string problem) =>
        Assert.Contains("a: " + problem, HoconText.Error(() => HoconText.Parse(text).GetStringList("a")).Message, StringComparison.Ordinal);

    [Fact]
    public void GetConfig_OfAScalar_SaysAnObjectWasWanted() =>
        Assert.Contains("a: expected an object such as { key = value }, got ", HoconText.Error(() => HoconText.Parse("a = 1").GetConfig("a")).Message, StringComparison.Ordinal);

    [Fact]
    public void UnresolvedValues_DescribeThemselves()
    {
        var origin = new ConfigOrigin("x.conf", 1);

        Assert.Equal("${a.b}", new Substitution(origin, ["a", "b"], optional: false, prefixLength: 0).Describe());
        Assert.Equal("${?b}", new Substitution(origin, ["p", "b"], optional: true, prefixLength: 1).Describe());
        Assert.Equal("whitespace", new ConcatenationSpace(origin, " ").Describe());
        Assert.Equal("a concatenation", new Concatenation(origin, []).Describe());
        Assert.Equal("a merge of several definitions", new MergeStack(origin, []).Describe());
        Assert.False(new ConcatenationSpace(origin, " ").IsResolved);
    }

    [Fact]
    public void AnIncludeWithoutExtensionThatIsAbsent_IsIgnored_AndOneFileMayBeIncludedTwice()
    {
        var main = Write("main.conf", "include \"absent\"\ninclude \"common.conf\"\nx { include \"common.conf\" }");
        Write("common.conf", "c = 1");

        Assert.Equal("{\"c\":1,\"x\":{\"c\":1}}", HoconConfig.Load(main).ToString());
    }

    [Fact]
    public void IncludeForms_MayHaveSpacesInsideTheirParentheses()
    {
        var main = Write("main.conf", "include required( file( \"c.conf\" ) )\ninclude  file(  \"d.conf\"  )");
        Write("c.conf", "c = 1");
        Write("d.conf", "d = 2");

        Assert.Equal("{\"c\":1,\"d\":2}", HoconConfig.Load(main).ToString());
    }

    [Fact]
    public void AnUnreadableInclude_IsAConfigException_AtTheIncludeLine()
    {
        // /proc/self/mem exists but reading it from offset 0 fails with an I/O error.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var main = Write("main.conf", "a = 1\ninclude \"/proc/self/mem\"");

        var error = HoconText.Error(() => HoconConfig.Load(main));

        Assert.StartsWith(main + ":2: cannot read /proc/self/mem: ", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
    }

    [Fact]
    public void AnIncludeCycle_ListsTheFilesInOrder()
    {
        var a = Write("a.conf", "include \"b.conf\"");
        var b = _files.PathOf("b.conf");
        Write("b.conf", "include \"a.conf\"");

        var error = HoconText.Error(() => HoconConfig.Load(a));

        Assert.Contains($"include cycle: {a} -> {b} -> {_files.PathOf("a.conf")}; remove one of these includes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IncludesNestFiftyOneFilesDeep_AndNoDeeper()
    {
        for (var i = 0; i < 50; i++)
        {
            Write($"f{i}.conf", $"include \"f{i + 1}.conf\"\nv{i} = {i}");
        }

        Write("f50.conf", "end = 50");
        Assert.Equal(50, HoconConfig.Load(_files.PathOf("f0.conf")).GetInt("end"));

        Write("f50.conf", "include \"f51.conf\"");
        Write("f51.conf", "end = 51");
        Assert.Contains("nested more than 50 files deep", HoconText.Error(() => HoconConfig.Load(_files.PathOf("f0.conf"))).Message, StringComparison.Ordinal);
    }
}
