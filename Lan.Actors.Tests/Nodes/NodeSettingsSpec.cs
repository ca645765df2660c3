using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Tests.Io;
using Lan.Actors.Tests.Hocon;
using Lan.Actors.Discovery;

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
    [InlineData("server.conf", "lobby", 47801, "auto")]
    [InlineData("client.conf", "player", 0, "auto")]
    [InlineData("peer.conf", "peer", 0, "auto")]
    [InlineData("loopback.conf", "", 0, "127.255.255.255")]
    public void EveryExampleFile_BuildsEverySetting_WithTheValuesItWrites(string file, string name, int port, string broadcast)
    {
        var config = HoconConfig.Load(ReferenceConfSpec.RepositoryFile("hocon", file)).WithFallback(HoconConfig.Reference);
        var node = NodeSettings.FromConfig(config);
        Assert.Equal(name.Length == 0 ? Environment.MachineName : name, node.Name);
        Assert.Equal(port, LanTcpSettings.FromConfig(config).Port);
        Assert.Equal(broadcast, DiscoverySettings.FromConfig(config).BroadcastAddress?.ToString() ?? "auto");
    }
}
