using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Tests.Io;
using Lan.Actors.Tests.Hocon;

namespace Lan.Actors.Tests.Nodes;

public sealed class NodeSettingsSpec
{
    [Fact]
    public void EmptyName_IsTheMachineName_AndEmptyId_IsFreshEachTime()
    {
        var config = SettingsConfig.Over("");
        var first = NodeSettings.FromConfig(config);
        var second = NodeSettings.FromConfig(config);
        Assert.Equal(Environment.MachineName, first.Name);
        Assert.Equal("lan", first.App);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public void ConfiguredIdentity_IsKept() =>
        Assert.Equal(new NodeSettings("lobby", "chess", "node-1"), NodeSettings.FromConfig(SettingsConfig.Over("lan.node { name = lobby, app = chess, id = node-1 }")));

    [Fact]
    public void EmptyApp_IsRejected() =>
        Assert.Equal("user.conf:1: lan.node.app: must not be empty", SettingsConfig.Error(() => NodeSettings.FromConfig(SettingsConfig.Over("lan.node.app = \"\""))).Message);

    [Theory]
    [MemberData(nameof(ReferenceConfSpec.ExampleFiles), MemberType = typeof(ReferenceConfSpec))]
    public void EveryExampleFile_BuildsEverySetting(string file)
    {
        var config = HoconConfig.Load(ReferenceConfSpec.RepositoryFile("hocon", file)).WithFallback(HoconConfig.Reference);
        Assert.NotNull(NodeSettings.FromConfig(config));
        Assert.NotNull(LanTcpSettings.FromConfig(config));
        Assert.NotNull(DiscoverySettings.FromConfig(config));
    }
}
