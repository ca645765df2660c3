using Akka.Event;
using Serilog;
using LogEventLevel = Serilog.Events.LogEventLevel;

namespace Lan.Node.Logging;

/// <summary>
/// Akka's own last-resort logger (<c>akka.stdout-logger-class</c>): what Akka prints before its loggers start and
/// what it drains from them at shutdown. Akka's standard one writes to standard output, where it mixed with a
/// command's own output (a chat line after Ctrl+C); this one hands each line to the process's Serilog logger, which
/// writes to standard error at the configured level.
/// </summary>
public sealed class StandardErrorLogger : MinimalLogger
{
    /// <inheritdoc/>
    protected override void Log(object message)
    {
        if (message is not LogEvent logEvent)
        {
            return;
        }

        var level = logEvent.LogLevel() switch
        {
            LogLevel.DebugLevel => LogEventLevel.Debug,
            LogLevel.InfoLevel => LogEventLevel.Information,
            LogLevel.WarningLevel => LogEventLevel.Warning,
            _ => LogEventLevel.Error,
        };
        Serilog.Log.Logger.ForContext("LogSource", logEvent.LogSource).Write(level, logEvent.Cause, "{Text:l}", logEvent.Message?.ToString());
    }
}
