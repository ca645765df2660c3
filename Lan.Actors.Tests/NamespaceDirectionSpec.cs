using System.Text.RegularExpressions;
using Lan.Actors.Tests.Hocon;

namespace Lan.Actors.Tests;

/// <summary>
/// The library's namespaces depend one way: Hocon and Metrics (plain .NET, beside each other), then Protocol, Security, Io, Discovery (with its Registry), Nodes, and
/// Handlers and Filer on top. Read from the sources' <c>using</c>s (and any fully qualified name), so a new import
/// that points up or sideways, and with it any cycle, fails here with the file that made it.
/// </summary>
public sealed partial class NamespaceDirectionSpec
{
    // Lowest first. A namespace may use the ones below it, never one above or beside it; a sub-namespace
    // (Discovery.Registry) belongs to its parent's layer.
    private static readonly string[][] Layers =
    [
        ["Hocon", "Metrics"],
        ["Protocol"],
        ["Security"],
        ["Io"],
        ["Discovery"],
        ["Nodes"],
        ["Handlers", "Filer"],
    ];

    // Nothing below Io imports Akka: the configuration, the codec and the identities are plain .NET, tested and benchmarked alone.
    private static readonly string[] WithoutAkka = ["Hocon", "Metrics", "Protocol", "Security"];

    [GeneratedRegex(@"^namespace Lan\.Actors\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using (?:static )?(?:\w+ = )?Lan\.Actors\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"(?<![\w.])Lan\.Actors\.(\w+)\.[A-Z]")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"^using Akka\b", RegexOptions.Multiline)]
    private static partial Regex AkkaUsing();

    private static int Rank(string layer) => Array.FindIndex(Layers, names => names.Contains(layer));

    private static IEnumerable<(string File, string From, string To)> Imports()
    {
        var library = Path.GetDirectoryName(ReferenceConfSpec.RepositoryFile("Lan.Actors", "Lan.Actors.csproj"))!;
        foreach (var file in Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            var from = NamespaceLine().Match(text).Groups[1].Value;
            var relative = Path.GetRelativePath(library, file);
            foreach (var to in UsingLine().Matches(text).Concat(QualifiedName().Matches(text)).Select(match => match.Groups[1].Value).Distinct())
            {
                yield return (relative, from, to);
            }

            if (WithoutAkka.Contains(from) && AkkaUsing().IsMatch(text))
            {
                yield return (relative, from, "Akka");
            }
        }
    }

    [Fact]
    public void EveryLibraryNamespace_HasALayer()
    {
        var unknown = Imports().SelectMany(import => new[] { import.From, import.To }).Where(name => name != "Akka" && Rank(name) < 0).Distinct().ToList();
        Assert.True(unknown.Count == 0, $"namespaces with no layer in this spec: {string.Join(", ", unknown)}; give each a place in Layers");
    }

    [Fact]
    public void ImportsPointDown_NeverUpOrSideways_SoThereIsNoCycle()
    {
        var wrong = Imports()
            .Where(import => import.From != import.To && (import.To == "Akka" || Rank(import.To) >= Rank(import.From)))
            .Select(import => $"{import.File}: {import.From} uses {import.To}")
            .ToList();
        Assert.True(wrong.Count == 0, "imports against the direction Hocon < Protocol < Io < Discovery < Nodes < Handlers, Filer (Akka not below Io):\n" + string.Join('\n', wrong));
    }

    [Fact]
    public void TheRuleBites_AnUpwardImportIsFound()
    {
        // The spec's own check on made-up sources: Io using Nodes must be reported, Nodes using Io must not.
        Assert.True(Rank("Nodes") > Rank("Io"));
        Assert.Equal("Nodes", UsingLine().Match("using Lan.Actors.Nodes;\n").Groups[1].Value);
        Assert.Equal("Registry", QualifiedName().Match("var x = new Lan.Actors.Registry.RegistryActor();").Groups[1].Value);
        Assert.DoesNotMatch(QualifiedName(), "namespace Lan.Actors.Io;");
    }
}
