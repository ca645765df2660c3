using System.Reflection;

namespace Lan.Actors.Hocon;

/// <summary>Reads the reference.conf embedded in this assembly (see Lan.Actors.csproj).</summary>
internal static class ReferenceConf
{
    public const string ResourceName = "Lan.Actors.reference.conf";

    public static string ReadText()
    {
        // Stryker disable once String : unreachable in a build of this repository: the csproj always embeds the resource
        using var stream = typeof(ReferenceConf).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from {typeof(ReferenceConf).Assembly.GetName().Name}; check Lan.Actors.csproj");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static HoconConfig Load() => HoconConfig.Parse(ReadText(), "reference.conf");
}
