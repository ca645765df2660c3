using System.Buffers;
using Lan.Actors.Hocon;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

/// <summary>How frames reach the writer, and how settings report a bad value.</summary>
public sealed class EncoderWritesSpec
{
    private static Packet OfFrameLength(int frameLength) =>
        Packet.Parse("{\"TYPE\":\"X\",\"P\":\"" + new string('p', frameLength - 4 - 19) + "\"}");

    [Theory]
    [InlineData(4096, 1)]
    [InlineData(4097, 2)]
    public void FramesUpToFourKiB_AreWrittenWithOneAdvance_LargerOnesPrefixFirst(int frameLength, int advances)
    {
        Packet packet = OfFrameLength(frameLength);
        var writer = new CountingWriter();

        new FrameEncoder().Write(packet, writer);

        Assert.Equal(advances, writer.Advances);
        Assert.Equal(Frames.Of(packet.Json.ToArray()), writer.Written.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData("max-frame-size", "10", "lan.protocol.max-frame-size: 10 bytes is out of range; use a value from 64 bytes to ")]
    [InlineData("max-content-size", "-1", "lan.protocol.max-content-size: -1 is out of range; use a value from 0 bytes to ")]
    [InlineData("max-depth", "65", "lan.protocol.max-depth: 65 is out of range; use a value from 1 to 64")]
    [InlineData("max-datagram-size", "64KiB", "lan.protocol.max-datagram-size: 64 KiB is out of range; use a value from 64 bytes to 65507 bytes")]
    public void AnOutOfRangeSetting_NamesItsPathAndItsRange(string key, string value, string message)
    {
        ConfigException error = Assert.Throws<ConfigException>(() =>
            ProtocolSettings.FromConfig(HoconConfig.Parse($"lan.protocol.{key} = {value}", "node.conf")));

        Assert.StartsWith("node.conf:1: " + message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
        Assert.Equal($"lan.protocol.{key}", error.Path);
    }

    [Fact]
    public void TheSmallestLimits_AreAccepted()
    {
        var settings = new ProtocolSettings { MaxFrameSize = 64, MaxContentSize = 0, MaxDepth = 1, MaxDatagramSize = 64 };

        Assert.Equal((64, 0, 1, 64), (settings.MaxFrameSize, settings.MaxContentSize, settings.MaxDepth, settings.MaxDatagramSize));
        Assert.Equal(ProtocolSettings.MaxUdpPayload, (settings with { MaxDatagramSize = ProtocolSettings.MaxUdpPayload }).MaxDatagramSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => settings with { MaxFrameSize = 63 });
        Assert.Throws<ArgumentOutOfRangeException>(() => settings with { MaxDatagramSize = 63 });
        Assert.Throws<ArgumentOutOfRangeException>(() => settings with { MaxDatagramSize = ProtocolSettings.MaxUdpPayload + 1 });
    }

    /// <summary>Counts Advance calls, offering exactly the size asked for (or a few bytes when asked for none).</summary>
    private sealed class CountingWriter : IBufferWriter<byte>
    {
        private byte[] _span = [];

        public ArrayBufferWriter<byte> Written { get; } = new();

        public int Advances { get; private set; }

        public void Advance(int count)
        {
            Advances++;
            Written.Write(_span.AsSpan(0, count));
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => _span = new byte[sizeHint > 0 ? sizeHint : 8192];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
