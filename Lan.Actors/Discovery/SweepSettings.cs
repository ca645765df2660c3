using Lan.Actors.Hocon;
using Lan.Actors.Io;

namespace Lan.Actors.Discovery;

/// <summary>The seed-compatible port sweep (<c>lan.discovery.sweep</c>).</summary>
/// <param name="PortRangeStart">Lowest port a server may bind.</param>
/// <param name="PortRangeEnd">Highest port a server may bind; at least <paramref name="PortRangeStart"/>.</param>
/// <param name="ProbesPerSecond">How many ports a client probes per second.</param>
public sealed record SweepSettings(int PortRangeStart, int PortRangeEnd, int ProbesPerSecond)
{
    /// <summary>Reads the sweep settings under <paramref name="root"/>.</summary>
    /// <exception cref="ConfigException">A setting is missing or out of range.</exception>
    public static SweepSettings FromConfig(HoconConfig config, string root)
    {
        ArgumentNullException.ThrowIfNull(config);
        var read = new SettingsReader(config, root);
        var start = read.Port("port-range-start", allowEphemeral: false);
        var end = read.Port("port-range-end", allowEphemeral: false);
        if (end < start)
        {
            throw read.Invalid("port-range-end", $"must be at least {read.Path("port-range-start")} ({start}), got {end}");
        }

        return new SweepSettings(start, end, read.Int("probes-per-second", 1, 1_000_000));
    }
}
