using Lan.Actors.Hocon;
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

    /// <summary>Reads <c>lan.kernel</c>; missing keys keep their defaults, bad values fail with the path.</summary>
    public static KernelSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var defaults = new KernelSettings();
        var settings = new KernelSettings
        {
            Throughput = config.GetInt("lan.kernel.throughput", defaults.Throughput),
            LogLevel = ParseLevel(config.GetString("lan.kernel.log-level", "info")),
            LogDeadLetters = config.GetInt("lan.kernel.log-dead-letters", defaults.LogDeadLetters),
            LogDeadLettersWindow = config.GetTimeSpan("lan.kernel.log-dead-letters-window", defaults.LogDeadLettersWindow),
            LogDeadLettersDuringShutdown = config.GetBoolean("lan.kernel.log-dead-letters-during-shutdown", defaults.LogDeadLettersDuringShutdown),
            DefaultAskTimeout = config.GetTimeSpan("lan.kernel.default-ask-timeout", defaults.DefaultAskTimeout),
            TestTimeFactor = config.GetDouble("lan.kernel.test.timefactor", defaults.TestTimeFactor),
            SingleExpectDefault = config.GetTimeSpan("lan.kernel.test.single-expect-default", defaults.SingleExpectDefault),
            ExpectNoMessageDefault = config.GetTimeSpan("lan.kernel.test.expect-no-message-default", defaults.ExpectNoMessageDefault),
        };
        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        if (Throughput < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Throughput), Throughput, "lan.kernel.throughput must be at least 1 (messages per turn).");
        }
        if (TestTimeFactor <= 0 || double.IsNaN(TestTimeFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(TestTimeFactor), TestTimeFactor, "lan.kernel.test.timefactor must be a positive number such as 1.0 or 3.");
        }
        if (DefaultAskTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultAskTimeout), DefaultAskTimeout, "lan.kernel.default-ask-timeout must be positive, e.g. 5s.");
        }
    }

    private static LogEventLevel ParseLevel(string text) => text.Trim().ToUpperInvariant() switch
    {
        "VERBOSE" or "TRACE" => LogEventLevel.Verbose,
        "DEBUG" => LogEventLevel.Debug,
        "INFO" or "INFORMATION" => LogEventLevel.Information,
        "WARNING" or "WARN" => LogEventLevel.Warning,
        "ERROR" => LogEventLevel.Error,
        "FATAL" or "OFF" => LogEventLevel.Fatal,
        _ => throw new ArgumentException($"lan.kernel.log-level = \"{text}\" is not a level; use verbose, debug, info, warning, error or fatal.", nameof(text)),
    };
}
