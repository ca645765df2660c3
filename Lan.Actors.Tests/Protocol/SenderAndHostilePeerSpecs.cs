using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

/// <summary>A base record whose derived type adds a CL field: the base metadata alone does not show it.</summary>
[JsonDerivedType(typeof(Chunk))]
public record Announcement(string Name);

public sealed record Chunk(string Name, [property: JsonPropertyName("CL")] int Length) : Announcement(Name);

public sealed record Move(string Player, Position To);

public sealed record Carry(string Name, JsonElement Payload);

[JsonSerializable(typeof(Announcement))]
[JsonSerializable(typeof(Move))]
[JsonSerializable(typeof(Carry))]
internal sealed partial class AnnouncementJson : JsonSerializerContext;

/// <summary>What the sender refuses so the peer never has to, and what a hostile peer cannot make us do.</summary>
public sealed class SenderAndHostilePeerSpecs
{
    [Fact]
    public void PolymorphicRecord_WhoseSubtypeWritesCL_IsRefusedAtTheSender()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Packet.From<Announcement>("CHUNK", new Chunk("a", 3), AnnouncementJson.Default.Announcement));
        Assert.Contains("cannot be sent as a packet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooDeepPacket_IsRefusedByTheFrameEncoder_BeforeWriting()
    {
        var packet = DeepPacket(40);
        var writer = new ArrayBufferWriter<byte>();
        var error = Assert.Throws<ProtocolException>(() => new FrameEncoder().Write(packet, writer));
        Assert.Equal(ProtocolError.TooDeep, error.Reason);
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void TooDeepPacket_IsRefusedByTheDatagramCodec()
    {
        var error = Assert.Throws<ProtocolException>(() => new DatagramCodec().Encode(DeepPacket(40)));
        Assert.Equal(ProtocolError.TooDeep, error.Reason);
    }

    [Fact]
    public void PacketAtTheDepthLimit_IsWritten()
    {
        var packet = DeepPacket(ProtocolSettings.Default.MaxDepth);
        var writer = new ArrayBufferWriter<byte>();
        new FrameEncoder().Write(packet, writer);
        Assert.Equal(Frames.Of(packet.Json.ToArray()), writer.WrittenSpan.ToArray());
        Assert.Equal(packet, Assert.Single(StreamFeeding.DecodeAll(writer.WrittenSpan)));
    }

    [Fact]
    public void ARecordOfScalars_IsKnownFlat_AndANestedOneIsMeasured()
    {
        Assert.Equal(1, Packet.From(new ChatLine("ann", "{[{[ not structure")).Depth);
        Assert.Equal(2, Packet.From("MOVE", new Move("ann", new Position(1, 2)), AnnouncementJson.Default.Move).Depth);
    }

    [Fact]
    public void ARecordCarryingADeepElement_IsRefusedByTheEncoder()
    {
        using var nested = JsonDocument.Parse(new string('[', 40) + new string(']', 40));
        var packet = Packet.From("CARRY", new Carry("deep", nested.RootElement.Clone()), AnnouncementJson.Default.Carry);
        var error = Assert.Throws<ProtocolException>(() => new FrameEncoder().Write(packet, new ArrayBufferWriter<byte>()));
        Assert.Equal(ProtocolError.TooDeep, error.Reason);
    }

    [Fact]
    public void BracketsInsideStrings_DoNotCountAsDepth()
    {
        var packet = Packet.Create("TEXT").Set("T", "[[[[{{{{\\\"[[[[").Build();
        Assert.Equal(1, packet.Depth);
    }

    [Fact]
    public void PeekType_OfANameWithAnUnpairedSurrogateEscape_IsFalse_NotAnException()
    {
        var frame = new ReadOnlySequence<byte>(Frames.Of("{\"\\uD800\":1,\"TYPE\":\"X\"}"));
        Assert.False(FrameDecoder.TryPeekType(frame, out _));
    }

    [Fact]
    public void APrefixAnnouncingTheMaximum_CostsASmallBuffer_NotTheMaximum()
    {
        var decoder = new FrameDecoder();
        var bytes = Frames.Prefix((uint)ProtocolSettings.Default.MaxFrameSize).Concat(Encoding.ASCII.GetBytes("{\"TYPE\":")).ToArray();
        var buffer = new ReadOnlySequence<byte>(bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(decoder.TryDecode(ref buffer, out _));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 128 * 1024, $"allocated {allocated} bytes for 12 bytes of a frame announcing 1 MiB");
    }

    [Fact]
    public void AnnouncedContent_IsNotAllocatedBeforeItArrives()
    {
        var decoder = new FrameDecoder();
        var buffer = new ReadOnlySequence<byte>(Frames.Of("{\"TYPE\":\"FILE\",\"CL\":16000000}"));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(decoder.TryDecode(ref buffer, out _));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 128 * 1024, $"allocated {allocated} bytes before any of 16 MB of content arrived");
    }

    [Fact]
    public void ContentArrivingInPieces_GrowsToExactlyItsLength()
    {
        var content = new byte[200_000];
        new Random(7).NextBytes(content);
        var frame = Frames.Of($"{{\"TYPE\":\"FILE\",\"CL\":{content.Length}}}", content);
        var decoder = new FrameDecoder();
        Packet? packet = null;
        for (int offset = 0; offset < frame.Length; offset += 1000)
        {
            var piece = new ReadOnlySequence<byte>(frame, offset, Math.Min(1000, frame.Length - offset));
            if (decoder.TryDecode(ref piece, out var decoded))
            {
                packet = decoded;
            }
        }
        Assert.NotNull(packet);
        Assert.Equal(content, packet.Content.ToArray());
    }

    [Fact]
    public void AThirtyDigitCL_IsContentTooLarge_QuotingItsDigits()
    {
        var buffer = new ReadOnlySequence<byte>(Frames.Of("{\"TYPE\":\"X\",\"CL\":123456789012345678901234567890}"));
        var error = Assert.Throws<ProtocolException>(() => new FrameDecoder().TryDecode(ref buffer, out _));
        Assert.Equal(ProtocolError.ContentTooLarge, error.Reason);
        Assert.Contains("123456789012345678901234567890", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MinusZeroCL_IsRefused()
    {
        var buffer = new ReadOnlySequence<byte>(Frames.Of("{\"TYPE\":\"X\",\"CL\":-0}"));
        Assert.Equal(ProtocolError.InvalidJson, Assert.Throws<ProtocolException>(() => new FrameDecoder().TryDecode(ref buffer, out _)).Reason);
    }

    [Fact]
    public void MalformedJsonOnALaterLine_NamesThatLine()
    {
        var buffer = new ReadOnlySequence<byte>(Frames.Of("{\"TYPE\":\"X\",\n\"A\":\n tru }"));
        var error = Assert.Throws<ProtocolException>(() => new FrameDecoder().TryDecode(ref buffer, out _));
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromANullRecord_SaysWhatIsMissing()
    {
        var error = Assert.Throws<ArgumentNullException>(() => Packet.From("MOVE", (Move)null!, AnnouncementJson.Default.Move));
        Assert.Contains("needs a Move", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxDepthAbove64_IsRejected_BecauseAsCouldNotReadSuchPackets()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProtocolSettings.Default with { MaxDepth = 65 });
    }

    private static Packet DeepPacket(int depth)
    {
        using var nested = JsonDocument.Parse(new string('[', depth - 1) + new string(']', depth - 1));
        return Packet.Create("DEEP").Set("X", nested.RootElement).Build();
    }
}
