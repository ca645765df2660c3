using Lan.Actors.Tests.Hocon;

namespace Lan.Actors.Tests.Scenarios;

/// <summary>docs/TESTING.md shows ReadyLobbySpec.cs as it is compiled and run, so the guide cannot drift from working code.</summary>
public sealed class TestingGuideSpec
{
    [Fact]
    public void TheGuidesScenarioExample_IsReadyLobbySpec_Verbatim()
    {
        var example = File.ReadAllText(ReferenceConfSpec.RepositoryFile("Lan.Actors.Tests", "Scenarios", "ReadyLobbySpec.cs")).ReplaceLineEndings("\n");
        var guide = File.ReadAllText(ReferenceConfSpec.RepositoryFile("docs", "TESTING.md")).ReplaceLineEndings("\n");

        Assert.Contains("```csharp\n" + example + "```", guide, StringComparison.Ordinal);
    }
}
