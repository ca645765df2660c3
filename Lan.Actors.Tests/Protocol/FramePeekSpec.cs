using System.Buffers;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

/// <summary><see cref="FrameDecoder.TryPeekType"/> answers only with a TYPE the decoder would accept, and never throws.</summary>
public sealed class FramePeekSpec
{
    private static bool Peek(byte[] bytes, out string? type) => FrameDecoder.TryPeekType(new ReadOnlySequence<byte>(bytes), out type);

    [Theory]
    [InlineData("[]")]
    [InlineData("\"PING\"")]
    [InlineData("{\"A\":1}")]
    [InlineData("{\"TYPE\":7}")]
    [InlineData("{\"TYPE\":[\"PING\"]}")]
    [InlineData("{\"TYPE\":\"ping\"}")]
    [InlineData("{\"TYPE\":\"\\u0050ING\"}")]
    [InlineData("{\"TYPE\" \"PING\"}")]
    public void AFrameWithoutAValidType_PeeksAsNothing(string json)
    {
        Assert.False(Peek(Frames.Of(json), out string? type));
        Assert.Null(type);
    }

    [Theory]
    [InlineData("{\"TYPE\":")]
    [InlineData("{\"TYPE\"")]
    [InlineData("{\"A\":[1,2")]
    [InlineData("{\"A\":\"long text")]
    public void AFrameCutBeforeItsTypeArrived_PeeksAsNothing(string arrived)
    {
        byte[] whole = Frames.Of(arrived + "...\",\"TYPE\":\"PING\"}");

        Assert.False(Peek(whole[..(4 + arrived.Length)], out string? type));
        Assert.Null(type);
    }

    [Fact]
    public void APrefixAlone_PeeksAsNothing()
    {
        Assert.False(Peek(Frames.Prefix(15), out _));
        Assert.False(Peek(Frames.Prefix(0), out _));
    }

    [Fact]
    public void TheNextFrame_IsNotTakenForThisOnesType()
    {
        byte[] stream = [.. Frames.Of("{\"A\":1}"), .. ProtocolVectors.PingFrame.Bytes];

        Assert.False(Peek(stream, out _));
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void ATypeSplitAcrossSegments_IsGatheredUpToSixtyFourCharacters(int length, bool found)
    {
        byte[] frame = Frames.Of($"{{\"TYPE\":\"{new string('T', length)}\"}}");

        for (int split = 14; split < 13 + length; split += 7)
        {
            ReadOnlySequence<byte> buffer = StreamFeeding.Sequence([frame.AsMemory(0, split), frame.AsMemory(split)]);

            Assert.Equal(found, FrameDecoder.TryPeekType(buffer, out string? type));
            Assert.Equal(found ? new string('T', length) : null, type);
        }
    }
}
