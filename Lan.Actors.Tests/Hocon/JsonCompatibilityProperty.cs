using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Hocon;

/// <summary>HOCON is a superset of JSON: any JSON document must read back as the same tree.</summary>
public sealed class JsonCompatibilityProperty(ITestOutputHelper output)
{
    private const ulong Seed = 0x4C414E_48434F4EUL;
    private const int Samples = 400;
    private const int Size = 25;

    // Pieces chosen to hit HOCON's special characters, escapes, keywords and non-ASCII text.
    private static readonly string[] TextPieces =
    [
        "a", "z", "Q", "0", "7", " ", "  ", ".", "-", "_", "\"", "\\", "/", "//", "\n", "\t", "\r", "\u0001",
        "$", "${x}", "${?y}", "{", "}", "[", "]", ":", "=", "+=", ",", "#", "é", "中", "😀", "true", "null", "include", "\"\"\"",
    ];

    private static readonly string[] NumberTexts =
        ["0", "-0", "1", "42", "-17", "3.14", "1e5", "1E+5", "-2.5e-3", "0.000001", "1234567890123456789012", "6.02214076e23"];

    private static readonly Gen<string> Text =
        Gen.Choose(0, 6).SelectMany(length => Gen.ArrayOf(Gen.Elements(TextPieces), length)).Select(string.Concat);

    private static readonly Gen<JsonNode?> Scalar = Gen.OneOf(
        Text.Select(text => (JsonNode?)JsonValue.Create(text)),
        Gen.Elements(NumberTexts).Select(number => JsonNode.Parse(number)),
        Gen.Elements(true, false).Select(flag => (JsonNode?)JsonValue.Create(flag)),
        Gen.Fresh(() => (JsonNode?)null));

    [Fact]
    public void AnyJsonDocument_IsValidHocon_AndParsesToTheSameTree()
    {
        output.WriteLine($"seed {Seed:X}, {Samples} documents of size {Size}");
        var documents = Gen.Sample(Document, Samples, new Rnd(Seed), Size);
        Assert.Equal(Samples, documents.Length);
        for (var i = 0; i < documents.Length; i++)
        {
            var (json, indented, relaxedEscaping) = documents[i];
            var text = json.ToJsonString(new JsonSerializerOptions
            {
                WriteIndented = indented,
                Encoder = relaxedEscaping ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : JavaScriptEncoder.Default,
            });
            var expected = JsonNode.Parse(text);
            JsonNode? actual;
            try
            {
                actual = JsonNode.Parse(HoconText.Parse(text, "generated.json").ToJson());
            }
            catch (Lan.Actors.Hocon.ConfigException e)
            {
                Assert.Fail($"seed {Seed:X}, document {i} was rejected: {e.Message}\n{text}");
                return;
            }

            Assert.True(JsonNode.DeepEquals(expected, actual), $"seed {Seed:X}, document {i} read back differently:\n{text}\n---\n{actual}");
        }
    }

    private static Gen<(JsonObject Json, bool Indented, bool Relaxed)> Document =>
        from json in Object(depth: 4)
        from indented in Gen.Elements(true, false)
        from relaxed in Gen.Elements(true, false)
        select (json, indented, relaxed);

    private static Gen<JsonNode?> Value(int depth) => depth == 0
        ? Scalar
        : Gen.Frequency(
            (6, Scalar),
            (1, Object(depth - 1).Select(obj => (JsonNode?)obj)),
            (1, Array(depth - 1).Select(array => (JsonNode?)array)));

    private static Gen<JsonObject> Object(int depth) =>
        from count in Gen.Choose(0, 5)
        from keys in Gen.ArrayOf(Text, count)
        from values in Gen.ArrayOf(Value(depth), count)
        select Build(keys, values);

    private static Gen<JsonArray> Array(int depth) =>
        from count in Gen.Choose(0, 4)
        from values in Gen.ArrayOf(Value(depth), count)
        select new JsonArray([.. values.Select(Detached)]);

    private static JsonObject Build(string[] keys, JsonNode?[] values)
    {
        var obj = new JsonObject();
        for (var i = 0; i < keys.Length; i++)
        {
            // JSON objects have unique keys; HOCON would merge duplicates, which JSON parsers disagree on.
            obj.TryAdd(keys[i], Detached(values[i]));
        }

        return obj;
    }

    // A generated node may be reused by FsCheck; a JsonNode can only have one parent.
    private static JsonNode? Detached(JsonNode? node) => node?.DeepClone();
}
