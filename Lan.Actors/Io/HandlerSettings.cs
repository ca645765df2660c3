using Lan.Actors.Hocon;

namespace Lan.Actors.Io;

/// <summary>What a node does when a handler throws (<c>lan.handler</c>): restart it, up to a budget.</summary>
/// <param name="MaxRestarts">Restarts allowed within <paramref name="RestartWindow"/>; one more failure stops the handler.</param>
/// <param name="RestartWindow">The window the restarts are counted in.</param>
public sealed record HandlerSettings(int MaxRestarts, TimeSpan RestartWindow)
{
    /// <summary>The root key these settings are read from.</summary>
    public const string RootKey = "lan.handler";

    /// <summary>reference.conf's values: 3 restarts a minute.</summary>
    public static HandlerSettings Default { get; } = new(3, TimeSpan.FromMinutes(1));

    /// <summary>Reads <c>lan.handler</c>.</summary>
    /// <exception cref="ConfigException">A setting is missing or out of range; the message says file:line.</exception>
    public static HandlerSettings FromConfig(HoconConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var read = new SettingsReader(config, RootKey);
        return new HandlerSettings(read.Int("max-restarts", 0, 1000), read.PositiveDuration("restart-window"));
    }
}
