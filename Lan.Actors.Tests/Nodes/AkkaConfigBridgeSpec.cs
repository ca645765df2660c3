using Lan.Actors.Hocon;
using Lan.Actors.Nodes;

namespace Lan.Actors.Tests.Nodes;

/// <summary>
/// Which values of the resolved <c>akka</c> part reach Akka.NET's Config unchanged when our reader hands
/// it over (docs/HOCON.md, "Handing the akka part to Akka", lists the ones that do not).
/// </summary>
public sealed class AkkaConfigBridgeSpec
{
    private static Akka.Configuration.Config Bridge(string akkaBody) =>
        HoconConfig.Parse("akka.probe {\n" + akkaBody + "\n}", "bridge.conf", _ => null).Resolve().ToAkkaConfig();

    [Fact]
    public void QuotedKeysWithDots_StayOneKey()
    {
        var akka = Bridge("\"a.b\" = 1\nplain.nested = 2");
        Assert.Equal(2, akka.GetInt("akka.probe.plain.nested"));
        Assert.Equal(1, akka.GetInt("akka.probe.\"a.b\""));
        Assert.False(akka.HasPath("akka.probe.a.b"));
    }

    [Fact]
    public void UnicodeAndEscapes_CrossUnchanged()
    {
        var akka = Bridge("unicode = \"zażółć 日本 🎲\"\nescapes = \"tab\\there \\\"quoted\\\" back\\\\slash\\nnew line\"");
        Assert.Equal("zażółć 日本 🎲", akka.GetString("akka.probe.unicode"));
        Assert.Equal("tab\there \"quoted\" back\\slash\nnew line", akka.GetString("akka.probe.escapes"));
    }

    [Fact]
    public void DurationsAndSizes_CrossAsTheTextAkkaParses()
    {
        var akka = Bridge("short = 250ms\nlong = 2 minutes\nframe = 1MiB\nbytes = 64kB");
        Assert.Equal(TimeSpan.FromMilliseconds(250), akka.GetTimeSpan("akka.probe.short"));
        Assert.Equal(TimeSpan.FromMinutes(2), akka.GetTimeSpan("akka.probe.long"));
        Assert.Equal(1L << 20, akka.GetByteSize("akka.probe.frame"));
        Assert.Equal(64_000L, akka.GetByteSize("akka.probe.bytes"));
    }

    [Fact]
    public void NumbersAndBooleans_CrossUnchanged()
    {
        var akka = Bridge("int = 42\nnegative = -7\nbig = 9007199254740993\nfraction = 0.25\nyes = on\nno = false");
        Assert.Equal(42, akka.GetInt("akka.probe.int"));
        Assert.Equal(-7, akka.GetInt("akka.probe.negative"));
        Assert.Equal(9007199254740993L, akka.GetLong("akka.probe.big"));
        Assert.Equal(0.25, akka.GetDouble("akka.probe.fraction"));
        Assert.True(akka.GetBoolean("akka.probe.yes"));
        Assert.False(akka.GetBoolean("akka.probe.no"));
    }

    [Fact]
    public void Null_CrossesAsAMissingValue()
    {
        var akka = Bridge("nothing = null\nsomething = x");
        Assert.Null(akka.GetString("akka.probe.nothing"));
        Assert.Equal("x", akka.GetString("akka.probe.something"));
    }

    [Fact]
    public void EmptyObjectsAndArrays_CrossAsEmpty()
    {
        var akka = Bridge("object {}\narray = []");
        Assert.True(akka.GetConfig("akka.probe.object").IsEmpty);
        Assert.Empty(akka.GetStringList("akka.probe.array"));
    }

    [Fact]
    public void ArraysOfStringsAndOfObjects_CrossInOrder()
    {
        var akka = Bridge("strings = [b, a, \"c d\"]\nobjects = [{ name = x, port = 1 }, { name = y, port = 2 }]");
        Assert.Equal(["b", "a", "c d"], akka.GetStringList("akka.probe.strings"));
        var objects = akka.GetValue("akka.probe.objects").GetArray();
        Assert.Equal(2, objects.Count);
        Assert.Equal("y", objects[1].GetObject().GetKey("name").GetString());
        Assert.Equal(2, objects[1].GetObject().GetKey("port").GetInt());
    }

    [Fact]
    public void SubstitutionsAndEnvironment_AreResolvedBeforeAkkaSeesThem()
    {
        var config = HoconConfig.Parse("base = 7s\nakka.actor.ask-timeout = ${base}\nakka.probe.home = ${?LAN_BRIDGE_HOME}", "bridge.conf",
            name => name == "LAN_BRIDGE_HOME" ? "/home/lan" : null).Resolve();
        var akka = config.ToAkkaConfig();
        Assert.Equal(TimeSpan.FromSeconds(7), akka.GetTimeSpan("akka.actor.ask-timeout"));
        Assert.Equal("/home/lan", akka.GetString("akka.probe.home"));
        Assert.False(akka.HasPath("base")); // only the akka part crosses
    }

    // The values below do not cross unchanged: Akka's getters change them. That is why lan.* is always read
    // through our typed settings, and docs/HOCON.md lists these.

    [Fact]
    public void PaddedStrings_AreTrimmedByAkka()
    {
        var akka = Bridge("padded = \"  two spaces each side  \"");
        Assert.Equal("two spaces each side", akka.GetString("akka.probe.padded"));
    }

    [Fact]
    public void TheString_null_BecomesNullInAkka()
    {
        var akka = Bridge("word = \"null\"");
        Assert.Null(akka.GetString("akka.probe.word"));
    }

    [Fact]
    public void YesAndNo_AreNotBooleansToAkka()
    {
        var akka = Bridge("flag = yes");
        Assert.ThrowsAny<Exception>(() => akka.GetBoolean("akka.probe.flag"));
    }

    [Fact]
    public void AMissingPath_ReadsAsZeroInAkka()
    {
        var akka = Bridge("present = 1");
        Assert.Equal(0, akka.GetInt("akka.probe.absent"));
    }

    [Fact]
    public void NoAkkaPart_GivesAnEmptyConfig_ForAkkaToFillWithItsDefaults()
    {
        Assert.True(HoconConfig.Parse("lan.node.name = x").Resolve().ToAkkaConfig().IsEmpty);
    }
}
