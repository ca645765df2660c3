using System.CommandLine;

namespace Lan.Node.Hosting;

/// <summary>Options every lan-node command takes.</summary>
internal static class GlobalOptions
{
    /// <summary><c>-v</c>: INFO logging and stack traces with errors; <c>-vv</c>: DEBUG logging. <c>--log-level</c> wins over both.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "more detail: -v logs at INFO and shows stack traces with errors, -vv logs at DEBUG (--log-level wins)",
        Recursive = true,
    };

    /// <summary>How many times <c>-v</c> was given: 0, 1 (<c>-v</c>) or 2 and more (<c>-vv</c>, <c>-v -v</c>).</summary>
    public static int Verbosity(ParseResult parse) => parse.GetResult(Verbose)?.IdentifierTokenCount ?? 0;

    public static bool IsVerbose(ParseResult parse) => Verbosity(parse) > 0;

    /// <summary>The <c>akka.loglevel</c> that <c>-v</c> or <c>-vv</c> asks for; null without either.</summary>
    public static string? LogLevel(ParseResult parse) => Verbosity(parse) switch
    {
        0 => null,
        1 => "INFO",
        _ => "DEBUG",
    };
}
