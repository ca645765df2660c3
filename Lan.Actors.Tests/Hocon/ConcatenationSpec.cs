namespace Lan.Actors.Tests.Hocon;

public sealed class ConcatenationSpec
{
    [Fact]
    public void StringConcatenation_KeepsTheSpacesBetweenParts() =>
        Assert.Equal("foo   bar \"baz\" 42", HoconText.Parse("a = foo   bar \"\\\"baz\\\"\" 42   # comment").GetString("a"));

    [Fact]
    public void SubstitutionWithSuffix_IsAString() =>
        Assert.Equal("/var/log", HoconText.Parse("dir = /var\nlog = ${dir}/log").GetString("log"));

    [Fact]
    public void Arrays_Concatenate() =>
        Assert.Equal("""{"a":[1,2,3,4]}""", HoconText.Json("a = [1, 2] [3] [4]"));

    [Fact]
    public void Objects_Concatenate_ByMerging() =>
        Assert.Equal("""{"a":{"x":1,"y":3,"z":4}}""", HoconText.Json("a = { x = 1, y = 2 } { y = 3 } { z = 4 }"));

    [Fact]
    public void SubstitutedObject_MergesWithALiteralObject() =>
        Assert.Equal("""{"p":1,"q":2}""", HoconText.Parse("x { p = 1 }\ny = ${x} { q = 2 }").GetConfig("y").ToString());

    [Fact]
    public void MixingAStringAndAList_IsAnError_WithItsLine()
    {
        var error = HoconText.Error(() => HoconText.Parse("a = 1\nb = [1] oops"));
        Assert.StartsWith("<string>:2: b: cannot concatenate", error.Message, StringComparison.Ordinal);
    }
}
