namespace Lan.Actors.Tests.Hocon;

public sealed class PathAndMergeSpec
{
    [Fact]
    public void PathKey_IsTheSameAsNestedObjects() =>
        Assert.Equal(HoconText.Json("a { b { c = 1 } }"), HoconText.Json("a.b.c = 1"));

    [Fact]
    public void QuotedKeySegment_KeepsItsDots()
    {
        var config = HoconText.Parse("\"a.b\" = 1\nx.\"y.z\".w = 2");
        Assert.Equal(1, config.GetInt("\"a.b\""));
        Assert.Equal(2, config.GetInt("x.\"y.z\".w"));
        Assert.False(config.HasPath("a.b"));
    }

    [Fact]
    public void DuplicateObjectKeys_Merge() =>
        Assert.Equal("""{"a":{"x":1,"y":3,"z":4}}""", HoconText.Json("a { x = 1, y = 2 }\na { y = 3 }\na.z = 4"));

    [Fact]
    public void DuplicateNonObjectKeys_LaterValueWins() =>
        Assert.Equal("""{"a":[3],"b":{"c":1}}""", HoconText.Json("a = 1\na = [3]\nb { x = 1 }\nb = 2\nb { c = 1 }"));

    [Fact]
    public void EmptyKeyPart_IsAnError_ThatSuggestsQuoting()
    {
        var error = HoconText.Error(() => HoconText.Parse("a..b = 1"));
        Assert.Contains("quote keys that contain dots", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithFallback_MergesObjects_AndTheReceiverWins()
    {
        var config = HoconText.Parse("a { x = 1 }").WithFallback(HoconText.Parse("a { x = 0, y = 2 }\nb = 3"));
        Assert.Equal("""{"a":{"x":1,"y":2},"b":3}""", config.ToString());
    }
}
