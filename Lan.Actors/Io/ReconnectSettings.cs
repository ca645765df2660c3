using Lan.Actors.Hocon;

namespace Lan.Actors.Io;

/// <summary>Exponential back-off between reconnection attempts (<c>lan.tcp.reconnect</c>).</summary>
/// <param name="MinBackoff">The first wait.</param>
/// <param name="MaxBackoff">The longest wait; at least <paramref name="MinBackoff"/>.</param>
/// <param name="RandomFactor">Fraction of random jitter added to each wait, from 0 to 1.</param>
public sealed record ReconnectSettings(TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor)
{
    /// <summary>Reads the back-off settings under <paramref name="root"/>.</summary>
    /// <exception cref="ConfigException">A setting is missing or out of range.</exception>
    public static ReconnectSettings FromConfig(HoconConfig config, string root)
    {
        ArgumentNullException.ThrowIfNull(config);
        var read = new SettingsReader(config, root);
        var min = read.PositiveDuration("min-backoff");
        var max = read.PositiveDuration("max-backoff");
        if (max < min)
        {
            throw read.Invalid("max-backoff", $"must be at least {read.Path("min-backoff")} ({DurationFormat.Format(min)}), got {DurationFormat.Format(max)}");
        }

        return new ReconnectSettings(min, max, read.Double("random-factor", 0, 1));
    }
}
