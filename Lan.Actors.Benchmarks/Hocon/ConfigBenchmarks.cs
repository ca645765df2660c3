using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Discovery;

namespace Lan.Actors.Benchmarks.Hocon;

/// <summary>
/// What a node pays at start-up to read its configuration: parse reference.conf, resolve it and build
/// every settings record, against System.Text.Json reading the same tree written as JSON.
/// </summary>
[MemoryDiagnoser]
public class ConfigBenchmarks
{
    private string _hocon = "";
    private string _json = "";

    [GlobalSetup]
    public void Setup()
    {
        _hocon = ReferenceConf.ReadText();
        _json = HoconConfig.Parse(_hocon, "reference.conf").ToJson();
    }

    [Benchmark(Baseline = true, Description = "System.Text.Json: JsonDocument.Parse of the same tree")]
    public int JsonDocumentParse()
    {
        using var document = JsonDocument.Parse(_json);
        return document.RootElement.GetProperty("lan").GetProperty("tcp").GetProperty("backlog").GetInt32();
    }

    [Benchmark(Description = "System.Text.Json: JsonNode.Parse of the same tree")]
    public JsonNode? JsonNodeParse() => JsonNode.Parse(_json);

    [Benchmark(Description = "HOCON: parse + resolve reference.conf")]
    public HoconObject ParseAndResolve() => HoconConfig.Parse(_hocon, "reference.conf").Root;

    [Benchmark(Description = "HOCON: parse reference.conf + build all settings")]
    public object ParseAndBuildSettings()
    {
        var config = HoconConfig.Parse(_hocon, "reference.conf");
        return (NodeSettings.FromConfig(config), LanTcpSettings.FromConfig(config), DiscoverySettings.FromConfig(config));
    }
}
