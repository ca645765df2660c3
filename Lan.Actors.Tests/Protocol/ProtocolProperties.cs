using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Lan.Actors.Protocol;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Protocol;

public sealed class ProtocolProperties(ITestOutputHelper output)
{
    [Fact]
    public void EncodeThenDecode_RoundTripsAnyPacket()
    {
        SeededCheck.Run(output, seed: 20_251_104, maxTests: 300, Prop.ForAll(PacketGenerators.Packet.ToArbitrary(), spec =>
        {
            Packet sent = spec.Build();
            Packet received = Assert.Single(StreamFeeding.DecodeAll(StreamFeeding.Encode([sent])));

            Assert.Equal(sent, received);
            Assert.Equal(spec.Type, received.Type);
            Assert.Equal(spec.Content, received.Content.ToArray());
            foreach ((string name, object value) in spec.Expected())
            {
                AssertField(received, name, value);
            }
        }));
    }

    [Fact]
    public void EverySplitOfAValidStream_DecodesToTheSamePackets()
    {
        Gen<(PacketSpec[] Packets, int[] Chunks)> streams =
            from packets in PacketGenerators.Packets
            from chunks in Gen.ListOf(Gen.Frequency((3, Gen.Choose(1, 8)), (1, Gen.Choose(9, 400))))
            select (packets, chunks.ToArray());

        SeededCheck.Run(output, seed: 4_242, maxTests: 200, Prop.ForAll(streams.ToArbitrary(), stream =>
        {
            Packet[] sent = [.. stream.Packets.Select(spec => spec.Build())];
            byte[] bytes = StreamFeeding.Encode(sent);

            Assert.Equal(sent, StreamFeeding.DecodeInChunks(bytes, stream.Chunks));
        }));
    }

    [Fact]
    public void OneByteAtATime_DecodesGeneratedStreamsToTheSamePackets()
    {
        SeededCheck.Run(output, seed: 77, maxTests: 50, Prop.ForAll(PacketGenerators.Packets.ToArbitrary(), specs =>
        {
            Packet[] sent = [.. specs.Select(spec => spec.Build())];

            Assert.Equal(sent, StreamFeeding.DecodeOneByteAtATime(StreamFeeding.Encode(sent)));
        }));
    }

    [Fact]
    public void DatagramEncodeThenDecode_RoundTripsAnyPacketWithoutContent()
    {
        var codec = new DatagramCodec(ProtocolSettings.Default with { MaxDatagramSize = ProtocolSettings.MaxUdpPayload });
        Gen<PacketSpec> withoutContent = PacketGenerators.Packet.Select(spec => spec with { Content = [] });

        SeededCheck.Run(output, seed: 1_400, maxTests: 200, Prop.ForAll(withoutContent.ToArbitrary(), spec =>
        {
            Packet sent = spec.Build();

            Assert.Equal(sent, codec.Decode(codec.Encode(sent).Span));
        }));
    }

    private static void AssertField(Packet packet, string name, object expected)
    {
        switch (expected)
        {
            case string text:
                Assert.Equal(text, packet.GetString(name));
                break;
            case long number:
                Assert.True(packet.TryGet(name, out long actual));
                Assert.Equal(number, actual);
                break;
            case double number:
                Assert.True(packet.TryGet(name, out double actualDouble));
                Assert.Equal(number, actualDouble);
                break;
            case bool flag:
                Assert.True(packet.TryGet(name, out bool actualFlag));
                Assert.Equal(flag, actualFlag);
                break;
            case JsonElement { ValueKind: JsonValueKind.Null }:
                Assert.True(packet.Has(name));
                Assert.False(packet.TryGet(name, out JsonElement _), "TryGet treats JSON null as absent");
                break;
            case JsonElement element:
                Assert.True(packet.TryGet(name, out JsonElement actualElement));
                Assert.True(JsonElement.DeepEquals(element, actualElement), $"{name}: {element} != {actualElement}");
                break;
        }
    }
}
