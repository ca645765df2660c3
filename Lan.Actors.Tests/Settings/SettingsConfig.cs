using Lan.Actors.Hocon;

namespace Lan.Actors.Tests.Settings;

/// <summary>User text over reference.conf, the way a node builds its configuration.</summary>
internal static class SettingsConfig
{
    public static Config Over(string userText) =>
        Config.Parse(userText, "user.conf", _ => null).WithFallback(Config.Reference);

    public static ConfigException Error(Func<object?> build) => Assert.Throws<ConfigException>(build);
}
