using Lan.Actors.Hocon;

namespace Lan.Actors.Tests.Hocon;

/// <summary>Parses test text with an empty environment, so no test depends on the machine's variables.</summary>
internal static class HoconText
{
    public static string? NoEnvironment(string name) => null;

    public static HoconConfig Parse(string text, string? origin = null) => HoconConfig.Parse(text, origin, NoEnvironment);

    public static string Json(string text) => Parse(text).ToString();

    public static ConfigException Error(Func<object?> read) => Assert.Throws<ConfigException>(read);
}
