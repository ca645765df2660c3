using System.Globalization;

namespace Lan.Actors.Hocon;

/// <summary>Durations as Typesafe HoconConfig writes them: a number, optional spaces, a unit; no unit means milliseconds.</summary>
internal static class DurationFormat
{
    private const double TicksPerNanosecond = 0.01;

    private static readonly Dictionary<string, double> TicksPerUnit = Build();

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        if (!UnitNumber.TrySplit(text, out double number, out var unit))
        {
            return false;
        }

        if (!TicksPerUnit.TryGetValue(unit.Length == 0 ? "ms" : unit, out var ticksPerUnit))
        {
            return false;
        }

        var ticks = Math.Round(number * ticksPerUnit);
        if (double.IsNaN(ticks) || ticks >= long.MaxValue || ticks <= long.MinValue)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>Renders a duration in the largest unit that keeps it exact, e.g. <c>1500ms</c> or <c>2m</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        (string Unit, long Ticks)[] units = [("d", TimeSpan.TicksPerDay), ("h", TimeSpan.TicksPerHour), ("m", TimeSpan.TicksPerMinute),
            ("s", TimeSpan.TicksPerSecond), ("ms", TimeSpan.TicksPerMillisecond), ("us", TimeSpan.TicksPerMicrosecond)];
        foreach (var (unit, ticks) in units)
        {
            if (duration.Ticks % ticks == 0)
            {
                return (duration.Ticks / ticks).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return (duration.Ticks * 100).ToString(CultureInfo.InvariantCulture) + "ns";
    }

    private static Dictionary<string, double> Build()
    {
        var table = new Dictionary<string, double>(StringComparer.Ordinal);
        Add(TicksPerNanosecond, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(TimeSpan.TicksPerMicrosecond, "us", "µs", "micro", "micros", "microsecond", "microseconds");
        Add(TimeSpan.TicksPerMillisecond, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(TimeSpan.TicksPerSecond, "s", "second", "seconds");
        Add(TimeSpan.TicksPerMinute, "m", "minute", "minutes");
        Add(TimeSpan.TicksPerHour, "h", "hour", "hours");
        Add(TimeSpan.TicksPerDay, "d", "day", "days");
        return table;

        void Add(double ticks, params string[] names)
        {
            foreach (var name in names)
            {
                table[name] = ticks;
            }
        }
    }
}
