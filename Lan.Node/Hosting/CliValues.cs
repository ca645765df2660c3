using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Lan.Actors.Hocon;

namespace Lan.Node.Hosting;

/// <summary>Values on the command line that need more than System.CommandLine's own checks.</summary>
internal static class CliValues
{
    /// <summary>The longest wait Task.Delay and CancelAfter take (uint.MaxValue - 1 ms, about 49.7 days).</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>A <c>--port</c> option: a number from 0 to 65535, with a message that says so.</summary>
    public static Option<int?> PortOption(string description) => new("--port")
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
            {
                return port;
            }

            result.AddError($"--port takes a number from 1 to 65535 (0 lets the system choose), not \"{text}\"");
            return null;
        },
    };

    /// <summary>A duration of 0 or more, as HOCON writes it (2s, 500ms, 5m); null after one line on <paramref name="error"/>.</summary>
    public static TimeSpan? Duration(string text, string option, TextWriter error)
    {
        try
        {
            var duration = HoconConfig.Parse($"d = {text}", option).GetTimeSpan("d");
            if (duration >= TimeSpan.Zero && duration <= LongestWait)
            {
                return duration;
            }
        }
        catch (ConfigException)
        {
            // Said below, with what a good value looks like.
        }

        error.WriteLine($"{option} {text} is not a duration from 0 to 49 days; give one like 2s, 500ms or 5m");
        return null;
    }
}
