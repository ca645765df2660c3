using System.CommandLine;

namespace Lan.Node.Hosting;

/// <summary>Options every lan-node command takes.</summary>
internal static class GlobalOptions
{
    /// <summary><c>-v</c>: log at INFO unless <c>--log-level</c> says otherwise, and show stack traces with errors.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "more detail: INFO logging (unless --log-level is given) and stack traces with errors",
        Recursive = true,
    };

    public static bool IsVerbose(ParseResult parse) => parse.GetValue(Verbose);
}
