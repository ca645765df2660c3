using Lan.Actors.Hocon;

namespace Lan.Node.Hosting;

/// <summary>
/// How lan-node reads its configuration: the flags over the user's file over lan-node's own defaults over the
/// library's reference.conf. The defaults make a command quiet (warnings and errors, on standard error through
/// Serilog); a file may still say otherwise, and <c>-v</c>, <c>-vv</c> or <c>--log-level</c> over it.
/// </summary>
internal static class CliConfiguration
{
    public const string Defaults = """
        akka {
          loglevel = WARNING
          loggers = ["Akka.Logger.Serilog.SerilogLogger, Akka.Logger.Serilog"]
          stdout-logger-class = "Lan.Node.Logging.StandardErrorLogger, lan-node"
        }
        """;

    private static readonly Lazy<HoconConfig> DefaultsLayer = new(() => HoconConfig.Parse(Defaults, "lan-node defaults"));

    /// <summary>Reads <paramref name="overrides"/> over <paramref name="path"/> (none when null) over lan-node's defaults over reference.conf.</summary>
    /// <exception cref="ConfigException">The file or the overrides cannot be read or resolved.</exception>
    public static HoconConfig Load(string? path, string? overrides)
    {
        var file = path is null ? HoconConfig.Empty : HoconConfig.Load(path);
        var top = string.IsNullOrEmpty(overrides) ? HoconConfig.Empty : HoconConfig.Parse(overrides, "command line");
        return top.WithFallback(file).WithFallback(DefaultsLayer.Value).WithFallback(HoconConfig.Reference).Resolve();
    }
}
