using System.Globalization;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Lan.Node.Logging;

/// <summary>
/// Serilog, configured once per process: Akka.Logger.Serilog hands it every actor's log line, and the
/// template names the actor (<c>LogSource</c> is the actor's path).
/// </summary>
internal static class ProcessLogging
{
    // {Message:l}: a value is its plain text, never quoted, the same as PlainLogMessageFormatter gives Akka's loggers.
    private const string LineTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {LogSource}: {Message:l}{NewLine}";

    /// <summary>Stack traces with logged errors, for the whole process: set from <c>-v</c> at start-up.</summary>
    public static bool ShowStackTraces { get; set; }

    /// <summary>Sends log lines at <c>akka.loglevel</c> and above to <paramref name="output"/> (standard error when null: standard output is the command's own).</summary>
    /// <param name="config">The resolved configuration; <c>akka.loglevel</c> sets the level.</param>
    /// <param name="output">Where lines go; the console when null.</param>
    /// <param name="stackTraces">Whether an exception's stack trace follows its line; <see cref="ShowStackTraces"/> when null.</param>
    /// <param name="observer">Also sees every event, e.g. to know when a line has been written.</param>
    /// <returns>The logger, also installed as <see cref="Log.Logger"/>; dispose it when the process is done.</returns>
    public static Logger Configure(HoconConfig config, TextWriter? output = null, bool? stackTraces = null, ILogEventSink? observer = null)
    {
        var withStacks = stackTraces ?? ShowStackTraces;
        var configuration = new LoggerConfiguration();
        if (Level(config) is { } minimum)
        {
            var template = withStacks ? LineTemplate + "{Exception}" : LineTemplate;
            configuration.MinimumLevel.Is(minimum);
            configuration = configuration.WriteTo.Sink(new TextWriterSink(output ?? Console.Error, template));
            if (observer is not null)
            {
                configuration = configuration.WriteTo.Sink(observer);
            }
        }

        var logger = configuration.CreateLogger();
        Log.Logger = logger;
        return logger;
    }

    /// <summary>The Serilog level of <c>akka.loglevel</c>; null for OFF.</summary>
    /// <exception cref="ConfigException">The level is none of Akka's names; the message gives file:line.</exception>
    public static LogEventLevel? Level(HoconConfig config)
    {
        const string path = "akka.loglevel";
        var text = config.GetString(path);
        return text.Trim().ToUpperInvariant() switch
        {
            "DEBUG" => LogEventLevel.Debug,
            "INFO" => LogEventLevel.Information,
            "WARNING" => LogEventLevel.Warning,
            "ERROR" => LogEventLevel.Error,
            "OFF" => null,
            _ => throw new ConfigException(config.GetValue(path)?.Origin, path, $"expected DEBUG, INFO, WARNING, ERROR or OFF, got \"{text}\""),
        };
    }

    // Serilog.Sinks.Console writes only to the console; the demo and its spec want the lines in their own writer.
    // Every value a line quotes goes through PeerText: a name, a reason or a file name a peer chose reaches the user's
    // terminal escaped, whichever actor logged it (the templates themselves are this program's own text).
    private sealed class TextWriterSink(TextWriter output, string template) : ILogEventSink
    {
        private readonly MessageTemplateTextFormatter _formatter = new(template, CultureInfo.InvariantCulture);

        public void Emit(LogEvent logEvent)
        {
            var shown = new LogEvent(
                logEvent.Timestamp, logEvent.Level, logEvent.Exception, logEvent.MessageTemplate,
                logEvent.Properties.Select(property => new LogEventProperty(property.Key, Shown(property.Value))));
            lock (output)
            {
                _formatter.Format(shown, output);
            }
        }

        private static LogEventPropertyValue Shown(LogEventPropertyValue value) => value switch
        {
            ScalarValue { Value: string text } => new ScalarValue(PeerText.ForDisplay(text)),
            // Numbers, times and the like keep their formatting; any other object is shown as its text (a PeerInfo, an
            // exception, an endpoint), which may quote a peer.
            ScalarValue { Value: null or IFormattable or bool } => value,
            ScalarValue scalar => new ScalarValue(PeerText.ForDisplay(scalar.Value.ToString())),
            SequenceValue sequence => new SequenceValue(sequence.Elements.Select(Shown)),
            StructureValue structure => new StructureValue(structure.Properties.Select(property => new LogEventProperty(property.Name, Shown(property.Value))), structure.TypeTag),
            DictionaryValue dictionary => new DictionaryValue(dictionary.Elements.Select(entry => new KeyValuePair<ScalarValue, LogEventPropertyValue>(entry.Key, Shown(entry.Value)))),
            _ => value,
        };
    }
}
