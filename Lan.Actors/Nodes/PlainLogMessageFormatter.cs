using System.Globalization;
using System.Text;
using Akka.Event;
using Lan.Actors.Protocol;

namespace Lan.Actors.Nodes;

/// <summary>
/// Renders the library's log templates (named holes, <c>"{Peer} connected from {EndPoint}"</c>, or positional ones,
/// <c>"{0}"</c>) as plain text: every value as its <c>ToString</c>, never quoted, so a reason reads the same in every
/// line and through every logger (Akka's default logger, the TestKit's, or Serilog's with <c>{Message:l}</c>).
/// Every value is passed through <see cref="PeerText.ForDisplay"/>: a log line holds peers' names and reasons, and a
/// terminal or a log viewer must show them, never act on them (an escape sequence, a forged second line).
/// Named in <c>akka.logger-formatter</c> by reference.conf.
/// </summary>
public sealed class PlainLogMessageFormatter : ILogMessageFormatter
{
    /// <inheritdoc/>
    public string Format(string format, params object[] args) => Render(format, args);

    /// <inheritdoc/>
    public string Format(string format, IEnumerable<object> args) => Render(format, args as IReadOnlyList<object> ?? [.. args]);

    private static string Render(string? format, IReadOnlyList<object>? args)
    {
        if (string.IsNullOrEmpty(format))
        {
            return string.Empty;
        }

        var text = new StringBuilder(format.Length + 32);
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                text.Append(c);
                i++;
                continue;
            }

            var close = c == '{' ? format.IndexOf('}', i + 1) : -1;
            if (close < 0)
            {
                text.Append(c);
                continue;
            }

            var hole = format.AsSpan(i + 1, close - i - 1);
            var colon = hole.IndexOf(':');
            var name = colon < 0 ? hole : hole[..colon];
            name = name.IndexOf(',') is var comma and >= 0 ? name[..comma] : name; // an alignment, {Count,5}, is not kept
            var valueFormat = colon < 0 ? null : hole[(colon + 1)..].ToString();
            // "{0}" names its argument; a named hole takes the next one, as Serilog's templates do.
            var index = int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var position) ? position : next++;
            text.Append(args is not null && index < args.Count ? Text(args[index], valueFormat) : format.AsSpan(i, close - i + 1).ToString());
            i = close;
        }

        return text.ToString();
    }

    private static string Text(object? value, string? format) => PeerText.ForDisplay(value switch
    {
        null => "null",
        // Serilog's format letters (l, j) ask for the plain text this formatter always gives.
        IFormattable formattable when format is not null and not "l" and not "j" and not "lj" => formattable.ToString(format, CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    });
}
