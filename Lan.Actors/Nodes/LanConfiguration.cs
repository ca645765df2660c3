using Lan.Actors.Hocon;
using AkkaConfig = Akka.Configuration.Config;
using AkkaConfigurationFactory = Akka.Configuration.ConfigurationFactory;

namespace Lan.Actors.Nodes;

/// <summary>
/// The configuration front end of a node: one user file over <c>reference.conf</c>, read and resolved by
/// the project's HOCON reader, from which <c>lan.*</c> goes into typed settings and the resolved
/// <c>akka</c> part goes to Akka.NET as its Config.
/// </summary>
public static class LanConfiguration
{
    /// <summary>Reads <paramref name="path"/> (or nothing, when null) over reference.conf and resolves it.</summary>
    /// <exception cref="ConfigException">The file cannot be read or resolved; the message says file:line: path: what to do.</exception>
    public static HoconConfig Load(string? path) => Load(path, overrides: null);

    /// <summary>
    /// Reads <paramref name="overrides"/> (HOCON, e.g. from command-line flags) over <paramref name="path"/> over
    /// reference.conf, and resolves the result.
    /// </summary>
    /// <exception cref="ConfigException">The file or the overrides cannot be read or resolved.</exception>
    public static HoconConfig Load(string? path, string? overrides)
    {
        var file = path is null ? HoconConfig.Empty : HoconConfig.Load(path);
        var top = string.IsNullOrEmpty(overrides) ? HoconConfig.Empty : HoconConfig.Parse(overrides, "command line");
        return top.WithFallback(file).WithFallback(HoconConfig.Reference).Resolve();
    }

    /// <summary>
    /// The loopback configuration (the repository's <c>hocon/loopback.conf</c>, embedded in this library): TCP on
    /// 127.0.0.1 and discovery broadcasts to 127.255.255.255, so nothing leaves this host. For examples, specs and
    /// a shared machine. <paramref name="overrides"/> (HOCON, may be null) goes over it, and both over reference.conf.
    /// </summary>
    /// <exception cref="ConfigException">The overrides cannot be read or resolved.</exception>
    public static HoconConfig Loopback(string? overrides = null)
    {
        var top = string.IsNullOrEmpty(overrides) ? HoconConfig.Empty : HoconConfig.Parse(overrides, "overrides");
        return top.WithFallback(LoopbackLayer).WithFallback(HoconConfig.Reference).Resolve();
    }

    /// <summary>loopback.conf alone (not over reference.conf), for the test kit to put the spec's own settings between.</summary>
    internal static HoconConfig LoopbackLayer => LoopbackConfig.Value;

    private static readonly Lazy<HoconConfig> LoopbackConfig = new(ReferenceConf.LoadLoopback);

    /// <summary>Reads HOCON <paramref name="text"/> over reference.conf and resolves it.</summary>
    /// <param name="text">HOCON text: <c>lan { }</c> and <c>akka { }</c> settings.</param>
    /// <param name="origin">The name error messages give the text, as they would give a file name.</param>
    public static HoconConfig Parse(string text, string origin = "<text>") =>
        HoconConfig.Parse(text, origin).WithFallback(HoconConfig.Reference).Resolve();

    /// <summary>
    /// The resolved <c>akka</c> subtree as Akka.NET's Config, handed over as JSON so that Akka's parser
    /// sees no substitution, include or environment lookup of its own. Akka puts its own defaults beneath it.
    /// </summary>
    /// <remarks>Values that do not cross unchanged are listed in docs/HOCON.md ("Handing the akka part to Akka").</remarks>
    public static AkkaConfig ToAkkaConfig(this HoconConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.HasPath("akka"))
        {
            return AkkaConfig.Empty;
        }

        var akka = config.GetConfig("akka");
        return AkkaConfigurationFactory.ParseString("{\"akka\":" + akka + "}");
    }
}
