using Lan.Actors.Hocon;

namespace Lan.Actors.Tests.Hocon;

public sealed class PathAndMergeSpec
{
    [Fact]
    public void ThousandsOfDottedKeysUnderOneParent_AllArrive_InOrder()
    {
        var text = string.Join('\n', Enumerable.Range(0, 5000).Select(i => $"a.k{i} = {i}"));
        var a = HoconConfig.Parse(text).GetConfig("a");
        Assert.Equal(4999, a.GetInt("k4999"));
        Assert.Equal("k0", a.Root.Keys[0]);
        Assert.Equal(5000, a.Root.Count);
    }

    [Theory]
    [InlineData("a.b = 1\na.c = 2\na = 5\na.d = 3", "{\"a\":{\"d\":3}}")]
    [InlineData("a.b = 1\na.c = 2\na = 5", "{\"a\":5}")]
    [InlineData("x = { y = 9 }\na.b = 1\na = ${x}\na.c = 2", "{\"x\":{\"y\":9},\"a\":{\"b\":1,\"y\":9,\"c\":2}}")]
    [InlineData("a { b { c = 1 } }\na.b.d = 2\na.b { e = 3 }", "{\"a\":{\"b\":{\"c\":1,\"d\":2,\"e\":3}}}")]
    public void InterleavedObjectAndValueDefinitions_MergeOrReplace_InOrder(string text, string json) =>
        Assert.Equal(json, HoconConfig.Parse(text).ToString());

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
