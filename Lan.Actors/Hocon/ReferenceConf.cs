namespace Lan.Actors.Hocon;

/// <summary>Reads the configuration files embedded in this assembly (see Lan.Actors.csproj): reference.conf and loopback.conf.</summary>
internal static class ReferenceConf
{
    public const string ResourceName = "Lan.Actors.reference.conf";
    public const string LoopbackResourceName = "Lan.Actors.loopback.conf";

    public static string ReadText() => ReadResource(ResourceName);

    public static HoconConfig Load() => HoconConfig.Parse(ReadText(), "reference.conf");

    /// <summary>loopback.conf alone, not over reference.conf: the layer that keeps every socket on this host.</summary>
    public static HoconConfig LoadLoopback() => HoconConfig.Parse(ReadResource(LoopbackResourceName), "loopback.conf");

    private static string ReadResource(string name)
    {
        // Stryker disable once String : unreachable in a build of this repository: the csproj always embeds the resource
        using var stream = typeof(ReferenceConf).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"resource {name} is missing from {typeof(ReferenceConf).Assembly.GetName().Name}; check Lan.Actors.csproj");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
