using Lan.Actors.Io;
using Lan.Actors.Discovery.Registry;
using Lan.Actors.Tests.Io;
using Lan.Actors.Discovery;

namespace Lan.Actors.Tests.Discovery.Registry;

public sealed class RegistrySettingsSpec
{
    [Fact]
    public void ByDefault_NoRegistryIsUsed() =>
        Assert.Null(DiscoverySettings.FromConfig(SettingsConfig.Over("")).Registry);

    [Theory]
    [InlineData("10.8.0.1:47900", "10.8.0.1", 47900)]
    [InlineData("registry.example:1", "registry.example", 1)]
    [InlineData("[::1]:47900", "::1", 47900)]
    public void HostAndPort_AreRead(string text, string host, int port) =>
        Assert.Equal(new RegistryEndPoint(host, port), DiscoverySettings.FromConfig(SettingsConfig.Over($"lan.discovery.registry = \"{text}\"")).Registry);

    [Theory]
    [InlineData("10.8.0.1")]
    [InlineData("10.8.0.1:")]
    [InlineData(":47900")]
    [InlineData("10.8.0.1:0")]
    [InlineData("10.8.0.1:70000")]
    [InlineData("10.8.0.1:port")]
    [InlineData("bad host:47900")]
    public void ABadValue_IsRejected_NamingTheKeyAndTheExpectedForm(string text)
    {
        var error = SettingsConfig.Error(() => DiscoverySettings.FromConfig(SettingsConfig.Over($"lan.discovery.registry = \"{text}\"")));
        Assert.Equal("lan.discovery.registry", error.Path);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.Contains("expected host:port", error.Message, StringComparison.Ordinal);
    }
}
