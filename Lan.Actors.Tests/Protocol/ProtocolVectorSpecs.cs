using System.Buffers;
using System.Text.RegularExpressions;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

public sealed partial class ProtocolVectorSpecs
{
    [Theory]
    [MemberData(nameof(ProtocolVectors.Names), MemberType = typeof(ProtocolVectors))]
    public void EncodingTheVectorsPacket_ProducesExactlyItsBytes(string name)
    {
        ProtocolVector vector = ProtocolVectors.Named(name);
        byte[] encoded = vector.IsDatagram
            ? new DatagramCodec().Encode(vector.Packet()).ToArray()
            : StreamFeeding.Encode([vector.Packet()]);

        Assert.Equal(Convert.ToHexString(vector.Bytes), Convert.ToHexString(encoded));
    }

    [Theory]
    [MemberData(nameof(ProtocolVectors.Names), MemberType = typeof(ProtocolVectors))]
    public void DecodingTheVectorsBytes_YieldsItsPacket(string name)
    {
        ProtocolVector vector = ProtocolVectors.Named(name);
        Packet decoded = vector.IsDatagram
            ? new DatagramCodec().Decode(vector.Bytes)
            : Assert.Single(StreamFeeding.DecodeAll(vector.Bytes));

        Assert.Equal(vector.Packet(), decoded);
        if (vector.Record is not null)
        {
            Assert.Equal(vector.Record, PacketRegistry.WithReservedTypes().Decode(decoded));
        }
    }

    [Fact]
    public void ContentFrame_CarriesItsContentRaw()
    {
        Packet decoded = Assert.Single(StreamFeeding.DecodeAll(ProtocolVectors.ContentFrame.Bytes));

        Assert.Equal("FILE_CHUNK", decoded.Type);
        Assert.Equal("a.txt", decoded.GetString("NAME"));
        Assert.Equal("hello"u8.ToArray(), decoded.Content.ToArray());
    }

    [Fact]
    public void DocsHexExamples_AreTheTestVectors()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "PROTOCOL.md"));
        var shown = new Dictionary<string, string>();
        foreach (Match match in HexExample().Matches(doc))
        {
            shown[match.Groups["name"].Value] = match.Groups["hex"].Value.Trim();
        }

        foreach (ProtocolVector vector in ProtocolVectors.All)
        {
            Assert.True(shown.ContainsKey(vector.Name), $"docs/PROTOCOL.md lacks the example {vector.Name}");
            Assert.Equal(vector.Hex.Trim(), shown[vector.Name]);
        }

        Assert.Equal(ProtocolVectors.All.Count, shown.Count);
    }

    [Fact]
    public void AllVectorsInOneRead_DecodeInOrder()
    {
        var frames = new ArrayBufferWriter<byte>();
        var expected = new List<Packet>();
        foreach (ProtocolVector vector in ProtocolVectors.All)
        {
            Packet packet = vector.Packet();
            expected.Add(packet);
            new FrameEncoder().Write(packet, frames);
        }

        Assert.Equal(expected, StreamFeeding.DecodeAll(frames.WrittenSpan));
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lan.Actors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("tests must run inside the repository to read docs/PROTOCOL.md");
    }

    [GeneratedRegex(@"<!-- vector: (?<name>[a-z-]+) -->\s*```hex\n(?<hex>[0-9a-f \n]+?)```")]
    private static partial Regex HexExample();
}
