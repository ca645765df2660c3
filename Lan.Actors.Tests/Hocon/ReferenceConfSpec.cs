using Lan.Actors.Hocon;

namespace Lan.Actors.Tests.Hocon;

public sealed class ReferenceConfSpec
{
    public static readonly TheoryData<string> ExampleFiles = new(["server.conf", "client.conf", "peer.conf", "loopback.conf"]);

    [Fact]
    public void Reference_HoldsTheAkkaAndProtocolDefaults()
    {
        var reference = HoconConfig.Reference;
        Assert.False(reference.HasPath("lan.kernel"));
        Assert.Equal("INFO", reference.GetString("akka.loglevel"));
        // The library names no logger: Akka's own unless the application (lan-node: Serilog) chooses.
        Assert.False(reference.HasPath("akka.loggers"));
        Assert.Equal("Lan.Actors.Nodes.PlainLogMessageFormatter, Lan.Actors", reference.GetString("akka.logger-formatter"));
        Assert.Equal(10, reference.GetInt("akka.log-dead-letters"));
        Assert.False(reference.GetBoolean("akka.log-dead-letters-during-shutdown"));
        Assert.Equal(TimeSpan.FromSeconds(5), reference.GetTimeSpan("akka.actor.ask-timeout"));
        Assert.Equal(TimeSpan.FromSeconds(3), reference.GetTimeSpan("akka.test.single-expect-default"));
        Assert.Equal(TimeSpan.FromMilliseconds(100), reference.GetTimeSpan("akka.test.expect-no-message-default"));
        Assert.Equal(1 << 20, reference.GetByteSize("lan.protocol.max-frame-size"));
        Assert.Equal(16 << 20, reference.GetByteSize("lan.protocol.max-content-size"));
        Assert.Equal(32, reference.GetInt("lan.protocol.max-depth"));
        Assert.Equal(1400, reference.GetInt("lan.protocol.max-datagram-size"));
    }

    [Fact]
    public void TestTimeFactor_IsOverriddenByTheEnvironment()
    {
        var text = ReferenceConf.ReadText();
        Assert.Equal(1.0, HoconConfig.Parse(text, "reference.conf", HoconText.NoEnvironment).GetDouble("akka.test.timefactor"));
        var stretched = HoconConfig.Parse(text, "reference.conf", name => name == "LAN_TEST_TIMEFACTOR" ? "2.5" : null);
        Assert.Equal(2.5, stretched.GetDouble("akka.test.timefactor"));
    }

    [Fact]
    public void EverySettingInReference_HasAComment()
    {
        var uncommented = ReferenceConf.ReadText().Split('\n')
            .Where(line => line.Contains('=', StringComparison.Ordinal) && !line.Contains('#', StringComparison.Ordinal))
            .ToList();
        Assert.Empty(uncommented);
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void ExampleFile_OnlyOverridesSettingsThatReferenceDefines(string file)
    {
        var example = HoconConfig.Load(RepositoryFile("hocon", file));
        foreach (var path in LeafPaths(example.Root, ""))
        {
            Assert.True(HoconConfig.Reference.HasPath(path), $"{file} sets {path}, which reference.conf does not define (a typo?)");
        }
    }

    [Fact]
    public void Loopback_KeepsEveryAddressOnThisMachine()
    {
        var loopback = HoconConfig.Load(RepositoryFile("hocon", "loopback.conf")).WithFallback(HoconConfig.Reference);
        Assert.Equal("127.0.0.1", loopback.GetString("lan.tcp.bind-host"));
        Assert.Equal("127.255.255.255", loopback.GetString("lan.discovery.bind-address"));
        Assert.Equal("127.255.255.255", loopback.GetString("lan.discovery.broadcast-address"));
    }

    [Fact]
    public void TheEmbeddedLoopback_IsTheRepositorysLoopbackConf_NamedAsItsOrigin()
    {
        var embedded = ReferenceConf.LoadLoopback();
        var file = HoconConfig.Load(RepositoryFile("hocon", "loopback.conf"));

        Assert.Equal(file.GetString("lan.discovery.broadcast-address"), embedded.GetString("lan.discovery.broadcast-address"));
        Assert.Equal(file.GetString("lan.tcp.bind-host"), embedded.GetString("lan.tcp.bind-host"));
        Assert.StartsWith("loopback.conf:", embedded.GetValue("lan.tcp.bind-host")!.Origin.ToString(), StringComparison.Ordinal);
    }

    internal static string RepositoryFile(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Lan.Actors.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return Path.Combine([directory.FullName, .. parts]);
    }

    private static IEnumerable<string> LeafPaths(HoconObject obj, string prefix)
    {
        foreach (var key in obj.Keys)
        {
            var path = prefix.Length == 0 ? key : prefix + "." + key;
            if (obj[key] is HoconObject child)
            {
                foreach (var leaf in LeafPaths(child, path))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return path;
            }
        }
    }
}
