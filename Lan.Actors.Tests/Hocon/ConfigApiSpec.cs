using Lan.Actors.Hocon;

namespace Lan.Actors.Tests.Hocon;

public sealed class ConfigApiSpec
{
    private static readonly HoconConfig Sample = HoconText.Parse("""
        app {
          name = demo
          port = 8080
          quoted-port = "8081"
          big = 9000000000
          ratio = 0.25
          flag = on
          timeout = 5s
          size = 64KiB
          hosts = [alpha, "beta", 3]
          nothing = null
          nested { deep = 1 }
        }
        """, "app.conf");

    [Fact]
    public void Getters_ReadEachType()
    {
        Assert.Equal("demo", Sample.GetString("app.name"));
        Assert.Equal(8080, Sample.GetInt("app.port"));
        Assert.Equal(8081, Sample.GetInt("app.quoted-port"));
        Assert.Equal(9_000_000_000, Sample.GetLong("app.big"));
        Assert.Equal(0.25, Sample.GetDouble("app.ratio"));
        Assert.True(Sample.GetBoolean("app.flag"));
        Assert.Equal(TimeSpan.FromSeconds(5), Sample.GetTimeSpan("app.timeout"));
        Assert.Equal(65_536, Sample.GetByteSize("app.size"));
        Assert.Equal(["alpha", "beta", "3"], Sample.GetStringList("app.hosts"));
        Assert.Equal("8080", Sample.GetString("app.port"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("on", true)]
    [InlineData("yes", true)]
    [InlineData("false", false)]
    [InlineData("off", false)]
    [InlineData("no", false)]
    [InlineData("\"yes\"", true)]
    public void Booleans_AcceptTrueFalseOnOffYesNo(string text, bool expected) =>
        Assert.Equal(expected, HoconText.Parse($"b = {text}").GetBoolean("b"));

    [Fact]
    public void AbsentPath_GivesTheDefault()
    {
        Assert.Equal("x", Sample.GetString("app.absent", "x"));
        Assert.Equal(3, Sample.GetInt("app.absent", 3));
        Assert.Equal(TimeSpan.FromSeconds(1), Sample.GetTimeSpan("nowhere.at.all", TimeSpan.FromSeconds(1)));
        Assert.Equal(7, Sample.GetInt("app.nothing", 7));
    }

    [Fact]
    public void AbsentPath_WithoutDefault_IsAnErrorNamingThePath()
    {
        var error = HoconText.Error(() => Sample.GetInt("app.absent"));
        Assert.StartsWith("app.absent: no setting at this path", error.Message, StringComparison.Ordinal);
        Assert.Equal("app.absent", error.Path);
    }

    [Fact]
    public void WrongType_IsAnError_WithFileLinePathAndWhatWasFound()
    {
        Assert.Equal("app.conf:2: app.name: expected a whole number such as 42 (at most 2147483647), got \"demo\"",
            HoconText.Error(() => Sample.GetInt("app.name")).Message);
        Assert.Equal("app.conf:5: app.big: expected a whole number such as 42 (at most 2147483647), got 9000000000",
            HoconText.Error(() => Sample.GetInt("app.big")).Message);
        Assert.Equal("app.conf:12: app.nested: expected a string, got an object",
            HoconText.Error(() => Sample.GetString("app.nested")).Message);
        Assert.Equal("app.conf:10: app.hosts: expected a boolean (true/false, on/off, yes/no), got a list",
            HoconText.Error(() => Sample.GetBoolean("app.hosts")).Message);
    }

    [Fact]
    public void HasPath_IsFalseForAbsentAndNullValues()
    {
        Assert.True(Sample.HasPath("app.nested.deep"));
        Assert.False(Sample.HasPath("app.nothing"));
        Assert.False(Sample.HasPath("app.name.deeper"));
    }

    [Fact]
    public void GetConfig_ReturnsTheSubtree_AndKeepsFullPathsInErrors()
    {
        var app = Sample.GetConfig("app");
        Assert.Equal(1, app.GetInt("nested.deep"));
        var error = HoconText.Error(() => app.GetInt("name"));
        Assert.StartsWith("app.conf:2: app.name:", error.Message, StringComparison.Ordinal);
        Assert.True(Sample.GetConfig("absent").IsEmpty);
    }

    [Fact]
    public void Root_ExposesTheResolvedTree()
    {
        var root = HoconText.Parse("a { b = 1 }\nc = ${a.b}").Root;
        Assert.Equal(["a", "c"], root.Keys);
        var c = Assert.IsType<HoconScalar>(root["c"]);
        Assert.Equal(HoconScalarKind.Number, c.Kind);
        Assert.Equal("1", c.Text);
    }

    [Fact]
    public void ToJson_IsIndentedJson() =>
        Assert.Equal("{\n  \"a\": {\n    \"b\": [\n      1,\n      \"x\"\n    ]\n  }\n}", HoconText.Parse("a.b = [1, x]").ToJson().ReplaceLineEndings("\n"));

    [Fact]
    public void Empty_HasNoPaths_AndIsANeutralFallback()
    {
        Assert.True(HoconConfig.Empty.IsEmpty);
        Assert.Equal("{}", HoconConfig.Empty.ToString());
        Assert.Equal("""{"a":1}""", HoconText.Parse("a = 1").WithFallback(HoconConfig.Empty).ToString());
        Assert.Equal("""{"a":1}""", HoconConfig.Empty.WithFallback(HoconText.Parse("a = 1")).ToString());
    }
}
