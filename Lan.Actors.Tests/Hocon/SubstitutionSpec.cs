using Lan.Actors.Hocon;

namespace Lan.Actors.Tests.Hocon;

public sealed class SubstitutionSpec
{
    [Fact]
    public void Substitution_TakesTheFinalValueOfItsPath() =>
        Assert.Equal(3, HoconText.Parse("a = 1\nb = ${a}\na = 3").GetInt("b"));

    [Fact]
    public void Substitution_KeepsTheTypeOfTheValue() =>
        Assert.Equal("""{"a":{"x":[1,true]},"b":{"x":[1,true]}}""", HoconText.Json("a.x = [1, true]\nb = ${a}"));

    [Fact]
    public void Substitution_IntoAPathThroughAnotherSubstitution_Resolves() =>
        Assert.Equal(5, HoconText.Parse("base { port = 5 }\nalias = ${base}\nport = ${alias.port}").GetInt("port"));

    [Fact]
    public void UndefinedSubstitution_IsAnError_NamingThePathAndTheLine()
    {
        var error = HoconText.Error(() => HoconText.Parse("a = 1\nb {\n  c = ${missing.path}\n}", "app.conf").Root);
        Assert.StartsWith("app.conf:3: b.c: ${missing.path} is not defined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionalSubstitution_ThatIsUndefined_CreatesNoField()
    {
        var config = HoconText.Parse("a = ${?nothing}\nb = ${?x}${?y}");
        Assert.False(config.HasPath("a"));
        Assert.False(config.HasPath("b"));
        Assert.True(config.IsEmpty);
    }

    [Fact]
    public void OptionalSubstitution_ThatIsUndefined_KeepsTheEarlierValue() =>
        Assert.Equal(1, HoconText.Parse("a = 1\na = ${?nothing}").GetInt("a"));

    [Fact]
    public void OptionalSubstitution_InAString_BecomesEmpty() =>
        Assert.Equal("x-", HoconText.Parse("a = x-${?nothing}").GetString("a"));

    [Fact]
    public void SelfReference_AppendsToTheEarlierValue() =>
        Assert.Equal(["a", "b"], HoconText.Parse("path = [a]\npath = ${path} [b]").GetStringList("path"));

    [Fact]
    public void SelfReference_InAString_ExtendsTheEarlierString() =>
        Assert.Equal("abcdef", HoconText.Parse("s = abc\ns = ${s}def").GetString("s"));

    [Fact]
    public void SelfReference_ToAChild_LooksAtTheValueBelow() =>
        Assert.Equal("""{"a":2,"c":1}""", HoconText.Parse("foo : { a : { c : 1 } }\nfoo : ${foo.a}\nfoo : { a : 2 }").GetConfig("foo").ToString());

    [Fact]
    public void SelfReference_InsideAnObject_LooksAtTheFieldsEarlierValue() =>
        Assert.Equal(10, HoconText.Parse("a { b = 1 }\na { b = ${a.b}0 }").GetInt("a.b"));

    [Fact]
    public void PlusEquals_AppendsToAList_OrStartsOne()
    {
        var config = HoconText.Parse("a = [0]\na += 1\na += 2\nnested { b += x }");
        Assert.Equal(["0", "1", "2"], config.GetStringList("a"));
        Assert.Equal(["x"], config.GetStringList("nested.b"));
    }

    [Fact]
    public void SelfReference_WithNoEarlierValue_IsUndefined()
    {
        var error = HoconText.Error(() => HoconText.Parse("a = ${a} x").Root);
        Assert.Contains("${a} is not defined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cycle_IsReportedWithThePathsInvolved()
    {
        var error = HoconText.Error(() => HoconText.Parse("a = ${b}\nb = ${c}\nc = ${a}", "loop.conf").Root);
        Assert.Equal("loop.conf:1: a: substitution cycle: a -> b -> c -> a; give one of these settings a literal value", error.Message);
    }

    [Fact]
    public void Cycle_ThroughTheEnclosingObject_IsReported()
    {
        var error = HoconText.Error(() => HoconText.Parse("a { b = ${a} }").Root);
        Assert.Contains("substitution cycle: a -> a.b -> a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UserConfig_RefersToAValueFromItsFallback()
    {
        var config = HoconText.Parse("b = ${a}").WithFallback(HoconText.Parse("a = 5"));
        Assert.Equal(5, config.GetInt("b"));
    }

    [Fact]
    public void FallbackSubstitution_SeesTheUsersOverride()
    {
        var config = HoconText.Parse("a = 7").WithFallback(HoconText.Parse("a = 5\nb = ${a}"));
        Assert.Equal(7, config.GetInt("b"));
    }

    [Fact]
    public void UserPlusEquals_AppendsToTheFallbacksList()
    {
        var config = HoconText.Parse("lan.list += 3").WithFallback(HoconText.Parse("lan.list = [1, 2]"));
        Assert.Equal(["1", "2", "3"], config.GetStringList("lan.list"));
    }

    [Fact]
    public void EnvironmentVariable_IsUsed_WhenTheConfigLacksThePath()
    {
        var config = HoconConfig.Parse("home = ${APP_HOME}/data\nopt = ${?APP_OPT}", null, name => name == "APP_HOME" ? "/srv" : null);
        Assert.Equal("/srv/data", config.GetString("home"));
        Assert.False(config.HasPath("opt"));
    }

    [Fact]
    public void EnvironmentVariable_IsNotUsed_WhenTheConfigHasThePath() =>
        Assert.Equal("config", HoconConfig.Parse("X = config\ny = ${X}", null, _ => "environment").GetString("y"));

    [Fact]
    public void ProcessEnvironment_IsTheDefaultSource()
    {
        var name = "LAN_HOCON_SPEC_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-process");
        try
        {
            Assert.Equal("from-process", HoconConfig.Parse($"v = ${{{name}}}").GetString("v"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void Resolve_SurfacesErrorsEagerly_WhileParseDoesNot()
    {
        var config = HoconText.Parse("a = ${nope}");
        Assert.Throws<ConfigException>(() => config.Resolve());
    }
}
