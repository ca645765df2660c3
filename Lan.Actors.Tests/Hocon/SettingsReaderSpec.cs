using System.Net;
using Lan.Actors.Hocon;

namespace Lan.Actors.Tests.Hocon;

/// <summary>
/// The one way every settings class reads its keys: each value checked against its rule, and a value that breaks it
/// named by its full key and its file and line, with what was expected.
/// </summary>
public sealed class SettingsReaderSpec
{
    private static SettingsReader Reader(string hocon) => new(HoconConfig.Parse(hocon, "node.conf"), "lan.tcp");

    [Theory]
    [InlineData("1", 1)]
    [InlineData("10", 10)]
    public void Int_WithinItsBounds_IsRead(string text, int expected) =>
        Assert.Equal(expected, Reader($"lan.tcp.n = {text}").Int("n", 1, 10));

    [Theory]
    [InlineData("0")]
    [InlineData("11")]
    public void Int_OutsideItsBounds_NamesTheKeyTheLineAndTheBounds(string text)
    {
        var error = Assert.Throws<ConfigException>(() => Reader($"\n\nlan.tcp.n = {text}").Int("n", 1, 10));

        Assert.Contains("lan.tcp.n", error.Message, StringComparison.Ordinal);
        Assert.Contains("node.conf:3", error.Message, StringComparison.Ordinal);
        Assert.Contains($"must be between 1 and 10, got {text}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.5", true)]
    [InlineData("1.0", true)]
    [InlineData("0.49", false)]
    [InlineData("1.01", false)]
    public void Double_IsReadWithinItsBounds_AndRefusedOutside(string text, bool valid)
    {
        var reader = Reader($"lan.tcp.d = {text}");
        if (valid)
        {
            Assert.Equal(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), reader.Double("d", 0.5, 1.0));
        }
        else
        {
            Assert.Contains("must be between 0.5 and 1", Assert.Throws<ConfigException>(() => reader.Double("d", 0.5, 1.0)).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Port_ZeroMeansAnyFreePort_OnlyWhereThatIsAllowed_And65536IsNoPort()
    {
        Assert.Equal(0, Reader("lan.tcp.port = 0").Port("port", allowEphemeral: true));
        Assert.Equal(65535, Reader("lan.tcp.port = 65535").Port("port", allowEphemeral: false));
        Assert.Throws<ConfigException>(() => Reader("lan.tcp.port = 0").Port("port", allowEphemeral: false));
        Assert.Throws<ConfigException>(() => Reader("lan.tcp.port = 65536").Port("port", allowEphemeral: true));
    }

    [Fact]
    public void PositiveDuration_IsRead_AndZeroIsRefusedWithAnExample()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1), Reader("lan.tcp.t = 1ms").PositiveDuration("t"));
        var error = Assert.Throws<ConfigException>(() => Reader("lan.tcp.t = 0s").PositiveDuration("t"));
        Assert.Contains("must be a duration above zero such as 5s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Address_IsAnIpAddress_AndAHostNameIsRefusedThere()
    {
        Assert.Equal(IPAddress.Parse("127.0.0.2"), Reader("lan.tcp.a = \"127.0.0.2\"").Address("a"));
        var error = Assert.Throws<ConfigException>(() => Reader("lan.tcp.a = localhost").Address("a"));
        Assert.Contains("expected an IP address such as 127.0.0.1 or 0.0.0.0, got \"localhost\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_TakesAnAddressOrAName_AndRefusesText_ThatIsNeither()
    {
        Assert.Equal("localhost", Reader("lan.tcp.h = localhost").Host("h"));
        Assert.Equal("127.0.0.1", Reader("lan.tcp.h = \"127.0.0.1\"").Host("h"));
        var error = Assert.Throws<ConfigException>(() => Reader("lan.tcp.h = \"not a host\"").Host("h"));
        Assert.Contains("expected an IP address or host name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StringsAndBooleans_AreReadUnderTheRoot_AndPathNamesTheFullKey()
    {
        var reader = Reader("lan.tcp { s = abc, b = on }");

        Assert.Equal("abc", reader.String("s"));
        Assert.True(reader.Boolean("b"));
        Assert.Equal("lan.tcp.s", reader.Path("s"));
    }
}
