using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lan.Actors.Protocol;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Protocol;

/// <summary>
/// A saving is behaviour too: the shared type names, the per-thread writer and the proofs about a record's metadata
/// are each observed here (the same string instance, the same writer, no bytes allocated on a cache hit), so a change
/// that loses one fails a spec instead of passing as "equivalent".
/// </summary>
public sealed class SavingsSpec(ITestOutputHelper output)
{
    [Fact]
    public void ATypeNameDecodedTwice_IsTheSameString_SoTheSecondDecodeAllocatesNoName()
    {
        var first = Packet.Parse("""{"TYPE":"SAVINGS_DECODED_TWICE"}""");
        var second = Packet.Parse("""{"TYPE":"SAVINGS_DECODED_TWICE","N":2}""");

        Assert.Same(first.Type, second.Type);
    }

    [Fact]
    public void ANameTheApplicationRegisters_IsTheVeryStringEveryDecodeReturns()
    {
        // Built at run time, so it is not the interned literal the decoder could find by chance.
        var type = new StringBuilder("SAVINGS_").Append("REGISTERED").ToString();
        var viaShare = new StringBuilder("SAVINGS_").Append("SHARED").ToString();

        _ = new PacketRegistry().Register(type, ChatJson.Default.Score);
        PacketTypeName.Share(viaShare);

        Assert.Same(type, Packet.Parse("""{"TYPE":"SAVINGS_REGISTERED"}""").Type);
        Assert.Same(viaShare, Packet.Parse("""{"TYPE":"SAVINGS_SHARED"}""").Type);
    }

    [Fact]
    public void ThousandsOfOtherNames_DecodedOrShared_NeverTakeAReservedTypesSlot()
    {
        // 4,000 names over 1,024 slots: every reserved type's slot is hit by some of them.
        for (var i = 0; i < 2_000; i++)
        {
            _ = Packet.Parse($$"""{"TYPE":"SAVINGS_D{{i}}"}""");
            PacketTypeName.Share($"SAVINGS_S{i}");
        }

        foreach (var reserved in new[] { PacketTypes.ClientHello, PacketTypes.ServerHello, PacketTypes.ServerBye, PacketTypes.Hello, PacketTypes.Welcome, PacketTypes.Reject, PacketTypes.Ping, PacketTypes.Pong, PacketTypes.Disconnect, PacketTypes.Message })
        {
            Assert.Same(reserved, Packet.Parse($$"""{"TYPE":"{{reserved}}"}""").Type);
        }
    }

    [Fact]
    public void TheThreadsWriter_IsTakenAgainAfterUse_AndAWriterInUseIsNeverHandedOutTwice()
    {
        var first = PacketJsonWriter.Rent();
        first.Dispose();
        using (var again = PacketJsonWriter.Rent())
        {
            Assert.Same(first, again);
            // A serializer that builds a packet inside a packet gets a writer of its own.
            using var nested = PacketJsonWriter.Rent();
            Assert.NotSame(again, nested);
        }
    }

    [Fact]
    public void AWriterGrownForOneLargePacket_IsDropped_NotKeptAliveOnTheThread()
    {
        PacketJsonWriter grown;
        using (grown = PacketJsonWriter.Rent())
        {
            grown.Json.WriteStringValue(new string('x', 100_000));
            grown.Json.Flush();
        }

        using var next = PacketJsonWriter.Rent();
        Assert.NotSame(grown, next);
    }

    [Fact]
    public void ARecordsProofs_AreRemembered_SoTheSecondAskAllocatesNothing()
    {
        var info = SavingsJson.Default.Scalars;
        Assert.True(TypedFields.CannotCollide(info));
        Assert.True(TypedFields.IsFlat(info));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var safe = TypedFields.CannotCollide(info);
        var flat = TypedFields.IsFlat(info);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        output.WriteLine($"second ask: {allocated} bytes allocated");
        Assert.True(safe);
        Assert.True(flat);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void EveryScalarKind_NullableOnesToo_MakesARecordFlat_AndANestedValueDoesNot()
    {
        Assert.True(TypedFields.IsFlat(SavingsJson.Default.Scalars));
        Assert.False(TypedFields.IsFlat(SavingsJson.Default.Nested));
        Assert.False(TypedFields.IsFlat(SavingsJson.Default.Converted));
    }
}

/// <summary>One field of every kind the encoders trust to be a JSON scalar, nullable or not.</summary>
public sealed record Scalars(
    string Text, int Count, long Size, bool Flag, double Ratio, decimal Price, Guid Id, DateTime At, DateTimeOffset When, TimeSpan Took,
    int? MaybeCount, Guid? MaybeId, DateTimeOffset? MaybeWhen);

/// <summary>A field that writes an object.</summary>
public sealed record Nested(string Name, Scalars Inner);

/// <summary>A scalar-typed field with a converter of its own, which could write anything.</summary>
public sealed record Converted([property: JsonConverter(typeof(CountAsObject))] int Count);

/// <summary>Writes an int as an object: the reason a converter makes a field untrusted.</summary>
public sealed class CountAsObject : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("N", value);
        writer.WriteEndObject();
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseUpper)]
[JsonSerializable(typeof(Scalars))]
[JsonSerializable(typeof(Nested))]
[JsonSerializable(typeof(Converted))]
internal sealed partial class SavingsJson : JsonSerializerContext;
