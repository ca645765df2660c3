using System.Reflection;
using Lan.Actors.Hocon;
using Lan.Actors.TestKit;

namespace Lan.Actors.Tests.Nodes;

/// <summary>
/// A user who imports Akka.NET's namespaces and ours together never meets an ambiguous name: none of our
/// public types or namespace segments shares a name with a public type of the Akka packages we stand on.
/// </summary>
public sealed class PublicNamesSpec
{
    private static readonly Assembly[] Akka =
    [
        typeof(global::Akka.Actor.ActorSystem).Assembly,
        typeof(global::Akka.TestKit.TestKitBase).Assembly,
        typeof(global::Akka.TestKit.Xunit2.TestKit).Assembly,
        typeof(global::Akka.Logger.Serilog.SerilogLogger).Assembly,
    ];

    private static readonly Assembly[] Ours = [typeof(HoconConfig).Assembly, typeof(LanTestKit).Assembly];

    // The namespaces Akka.NET users import; Akka's internals (Akka.Configuration.Hocon, Akka.Util.Internal, ...)
    // are not among them, so names such as HoconObject may repeat there without anyone meeting both.
    private static readonly HashSet<string> ImportedNamespaces =
    [
        "Akka", "Akka.Actor", "Akka.Configuration", "Akka.Event", "Akka.IO", "Akka.Pattern", "Akka.Routing",
        "Akka.Util", "Akka.TestKit", "Akka.TestKit.Xunit2", "Akka.Logger.Serilog",
    ];

    private static HashSet<string> AkkaTypeNames() =>
    [
        .. Akka.SelectMany(assembly => assembly.GetExportedTypes())
            .Where(type => !type.IsNested && ImportedNamespaces.Contains(type.Namespace ?? ""))
            .Select(SimpleName),
    ];

    private static string SimpleName(Type type) => type.Name.Split('`')[0];

    [Fact]
    public void NoPublicTypeOfOurs_SharesASimpleNameWithAnAkkaType()
    {
        var akka = AkkaTypeNames();
        var clashes = Ours.SelectMany(assembly => assembly.GetExportedTypes())
            .Where(type => !type.IsNested && akka.Contains(SimpleName(type)))
            .Select(type => type.FullName)
            .ToList();
        Assert.Empty(clashes);
    }

    [Fact]
    public void NoNamespaceSegmentOfOurs_SharesANameWithAnAkkaType()
    {
        var akka = AkkaTypeNames();
        var clashes = Ours.SelectMany(assembly => assembly.GetExportedTypes())
            .SelectMany(type => (type.Namespace ?? "").Split('.'))
            .Distinct()
            // Lan.Actors.TestKit follows Akka.TestKit's own layout, whose namespace also holds TestKit classes.
            .Where(segment => akka.Contains(segment) && segment != "TestKit")
            .ToList();
        Assert.Empty(clashes);
    }
}
