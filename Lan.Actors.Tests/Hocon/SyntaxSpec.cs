namespace Lan.Actors.Tests.Hocon;

public sealed class SyntaxSpec
{
    [Fact]
    public void Comments_WithHashOrDoubleSlash_AreIgnored() =>
        Assert.Equal("""{"a":1,"b":2}""", HoconText.Json("# leading\na = 1 // trailing\n// whole line\nb = 2 # end"));

    [Fact]
    public void RootBraces_AreOptional() =>
        Assert.Equal(HoconText.Json("{ a = 1 }"), HoconText.Json("a = 1"));

    [Theory]
    [InlineData("a = 1")]
    [InlineData("a : 1")]
    [InlineData("a 1", false)]
    public void Separator_IsEqualsOrColon(string text, bool valid = true)
    {
        if (valid)
        {
            Assert.Equal(1, HoconText.Parse(text).GetInt("a"));
        }
        else
        {
            HoconText.Error(() => HoconText.Parse(text));
        }
    }

    [Fact]
    public void Separator_MayBeOmittedBeforeAnObject() =>
        Assert.Equal(1, HoconText.Parse("a { b = 1 }").GetInt("a.b"));

    [Fact]
    public void Newlines_SeparateFields_AndCommas_AreOptional_EvenTrailing() =>
        Assert.Equal("""{"a":1,"b":[1,2,3],"c":{"d":4}}""", HoconText.Json("a = 1\nb = [\n 1\n 2,\n 3,\n]\nc { d = 4, }\n"));

    [Fact]
    public void QuotedStrings_UseJsonEscapes() =>
        Assert.Equal("tab\there \"q\" \\ é \u00e9 /", HoconText.Parse("""s = "tab\there \"q\" \\ é \u00e9 \/" """).GetString("s"));

    [Fact]
    public void UnquotedStrings_RunUntilAReservedCharacter() =>
        Assert.Equal("hello.world-1_x", HoconText.Parse("s = hello.world-1_x").GetString("s"));

    [Fact]
    public void TripleQuotedStrings_KeepNewlinesAndBackslashes_AndExtraQuotesAtTheEnd() =>
        Assert.Equal("line 1\n  \\n \"x\"\nend\"", HoconText.Parse("s = \"\"\"line 1\n  \\n \"x\"\nend\"\"\"\"\nt = 1").GetString("s"));

    [Fact]
    public void Numbers_Booleans_AndNull_KeepTheirJsonTypes() =>
        Assert.Equal("""{"i":-12,"f":1.50,"e":1E+5,"t":true,"n":false,"z":null}""", HoconText.Json("i = -12\nf = 1.50\ne = 1E+5\nt = true\nn = false\nz = null"));

    [Fact]
    public void TextGluedToANumber_IsAString() =>
        Assert.Equal("""{"d":"10s","v":"1.0.0","s":"01"}""", HoconText.Json("d = 10s\nv = 1.0.0\ns = 01"));

    [Fact]
    public void ValueAfterSeparator_MayStartOnTheNextLine() =>
        Assert.Equal(5, HoconText.Parse("a =\n  5").GetInt("a"));

    [Fact]
    public void IncludeAsAnOrdinaryKey_IsAllowed() =>
        Assert.Equal("x", HoconText.Parse("include = x\n\"include\" = x").GetString("include"));
}
