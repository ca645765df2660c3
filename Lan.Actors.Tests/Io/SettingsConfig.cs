using Lan.Actors.Hocon;

namespace Lan.Actors.Tests.Io;

/// <summary>User text over reference.conf, the way a node builds its configuration.</summary>
internal static class SettingsConfig
{
    public static HoconConfig Over(string userText) =>
        HoconConfig.Parse(userText, "user.conf", _ => null).WithFallback(HoconConfig.Reference);

    public static ConfigException Error(Func<object?> build) => Assert.Throws<ConfigException>(build);
}
