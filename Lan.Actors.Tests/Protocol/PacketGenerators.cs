using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Lan.Actors.Protocol;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Protocol;

/// <summary>A packet described as data, so FsCheck can print and shrink it.</summary>
public sealed record PacketSpec(string Type, KeyValuePair<string, object>[] Fields, byte[] Content)
{
    public Packet Build()
    {
        PacketBuilder builder = Packet.Create(Type).WithContent(Content);
        foreach ((string name, object value) in Fields)
        {
            _ = value switch
            {
                string text => builder.Set(name, text),
                long number => builder.Set(name, number),
                double number => builder.Set(name, number),
                bool flag => builder.Set(name, flag),
                JsonElement element => builder.Set(name, element),
                _ => throw new InvalidOperationException($"no setter for {value.GetType()}"),
            };
        }

        return builder.Build();
    }

    /// <summary>The value each field should read back as: the last one set under that name.</summary>
    public Dictionary<string, object> Expected()
    {
        var expected = new Dictionary<string, object>();
        foreach ((string name, object value) in Fields)
        {
            expected[name] = value;
        }

        return expected;
    }

    public override string ToString() =>
        $"{Type} [{string.Join(", ", Fields.Select(f => $"{f.Key}={f.Value}"))}] +{Content.Length} bytes";
}

/// <summary>FsCheck generators for packets and streams, covering awkward text, numbers and content.</summary>
public static class PacketGenerators
{
    private static readonly char[] s_typeChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_".ToCharArray();

    // Pieces that stress escaping and UTF-8: quotes, backslashes, controls, 2/3/4-byte sequences, separators.
    private static readonly string[] s_textPieces =
        ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u0001", "\u007f", "é", "ß", "中", "🙂", "\u2028", "<tag>", "&", "'", "TYPE", "CL"];

    public static Gen<string> Type { get; } =
        Gen.Choose(1, PacketTypeNameLength).SelectMany(length => Gen.ArrayOf(Gen.Elements(s_typeChars), length)).Select(chars => new string(chars));

    public static Gen<string> Text { get; } =
        Gen.ListOf(Gen.Elements(s_textPieces)).Select(pieces => string.Concat(pieces));

    public static Gen<string> FieldName { get; } =
        Text.Where(name => name is not ("TYPE" or "CL"));

    public static Gen<object> FieldValue { get; } = Gen.OneOf(
        Text.Select(text => (object)text),
        Gen.Elements(long.MinValue, -1L, 0L, 1L, 42L, int.MaxValue + 1L, long.MaxValue).Select(number => (object)number),
        Gen.Choose(-1_000_000, 1_000_000).Select(number => (object)(number / 7.0)),
        Gen.Elements(true, false).Select(flag => (object)flag),
        Gen.Elements("{}", "[]", "[1,\"x\",null]", "{\"A\":{\"B\":[true,false]}}", "null").Select(json => (object)JsonElement.Parse(json)));

    public static Gen<byte[]> Content { get; } = Gen.Frequency(
        (2, Gen.Constant(Array.Empty<byte>())),
        (1, Gen.Choose(1, 300).SelectMany(length => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length))));

    public static Gen<PacketSpec> Packet { get; } =
        from type in Type
        from fieldCount in Gen.Choose(0, 6)
        from names in Gen.ArrayOf(FieldName, fieldCount)
        from values in Gen.ArrayOf(FieldValue, fieldCount)
        from content in Content
        select new PacketSpec(type, names.Zip(values, (name, value) => new KeyValuePair<string, object>(name, value)).ToArray(), content);

    public static Gen<PacketSpec[]> Packets { get; } =
        Gen.Choose(1, 6).SelectMany(count => Gen.ArrayOf(Packet, count));

    private const int PacketTypeNameLength = 64;
}

/// <summary>Runs FsCheck properties with a fixed, printed seed so any failure replays exactly.</summary>
public static class SeededCheck
{
    public static void Run(ITestOutputHelper output, ulong seed, int maxTests, Property property)
    {
        output.WriteLine($"FsCheck seed {seed} (gamma 0x9E3779B97F4A7C15), {maxTests} tests");
        var replay = new Replay(new Rnd(seed, 0x9E3779B97F4A7C15), Microsoft.FSharp.Core.FSharpOption<int>.None);
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(maxTests)
            .WithReplay(Microsoft.FSharp.Core.FSharpOption<Replay>.Some(replay));
        Check.One(config, property);
    }
}
