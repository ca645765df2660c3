using Lan.Actors.Hocon;
using Lan.Actors.Settings;
using Serilog.Events;

namespace Lan.Actors.Kernel;

/// <summary>The kernel's settings, read once from <c>lan.kernel</c> when the system starts.</summary>
public sealed record KernelSettings
{
    /// <summary>Messages one actor handles per turn on a pool thread before it lets others run.</summary>
    public int Throughput { get; init; } = 30;

    /// <summary>The minimum level of the system's log.</summary>
    public LogEventLevel LogLevel { get; init; } = LogEventLevel.Information;

    /// <summary>Dead letters logged per window; 0 turns dead-letter logging off.</summary>
    public int LogDeadLetters { get; init; } = 10;

    /// <summary>The window over which <see cref="LogDeadLetters"/> counts.</summary>
    public TimeSpan LogDeadLettersWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether dead letters are logged while the system shuts down.</summary>
    public bool LogDeadLettersDuringShutdown { get; init; }

    /// <summary>The timeout of an Ask that names none.</summary>
    public TimeSpan DefaultAskTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Stretches every TestKit default timeout on slow machines.</summary>
    public double TestTimeFactor { get; init; } = 1.0;

    /// <summary>The TestKit's default wait for an expected message (before dilation).</summary>
    public TimeSpan SingleExpectDefault { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The TestKit's default wait when expecting no message (before dilation).</summary>
    public TimeSpan ExpectNoMessageDefault { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Reads <c>lan.kernel</c> (give it a config over reference.conf); bad values fail with file, line and path.</summary>
    public static KernelSettings FromConfig(HoconConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var read = new SettingsReader(config, "lan.kernel");
        var level = read.String("log-level");
        return new KernelSettings
        {
            Throughput = read.Int("throughput", 1, 1_000_000),
            LogLevel = ParseLevel(level) ?? throw read.Invalid("log-level", $"expected verbose, debug, info, warning, error or fatal, got \"{level}\""),
            LogDeadLetters = read.Int("log-dead-letters", 0, int.MaxValue),
            LogDeadLettersWindow = read.PositiveDuration("log-dead-letters-window"),
            LogDeadLettersDuringShutdown = read.Boolean("log-dead-letters-during-shutdown"),
            DefaultAskTimeout = read.PositiveDuration("default-ask-timeout"),
            TestTimeFactor = read.Double("test.timefactor", 0.01, 1000),
            SingleExpectDefault = read.PositiveDuration("test.single-expect-default"),
            ExpectNoMessageDefault = read.PositiveDuration("test.expect-no-message-default"),
        };
    }

    private static LogEventLevel? ParseLevel(string text) => text.Trim().ToUpperInvariant() switch
    {
        "VERBOSE" or "TRACE" => LogEventLevel.Verbose,
        "DEBUG" => LogEventLevel.Debug,
        "INFO" or "INFORMATION" => LogEventLevel.Information,
        "WARNING" or "WARN" => LogEventLevel.Warning,
        "ERROR" => LogEventLevel.Error,
        "FATAL" or "OFF" => LogEventLevel.Fatal,
        _ => null,
    };
}
