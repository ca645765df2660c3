using System.Buffers;
using System.IO.Pipelines;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

public sealed class FrameDecoderSpecs
{
    private static readonly Packet[] s_packets =
    [
        Packet.From(new TextMessage("hello")),
        Packet.Create("FILE_CHUNK").Set("NAME", "a.bin").WithContent(new byte[] { 0, 1, 2, 3, 255 }).Build(),
        Packet.From(new Ping()),
        Packet.Create("EMPTY_CONTENT").WithContent(ReadOnlyMemory<byte>.Empty).Build(),
    ];

    [Fact]
    public void OneByteAtATime_YieldsTheSamePackets()
    {
        byte[] stream = StreamFeeding.Encode(s_packets);

        Assert.Equal(s_packets, StreamFeeding.DecodeOneByteAtATime(stream));
    }

    [Fact]
    public void ManyFramesInOneRead_YieldTheSamePackets()
    {
        byte[] stream = StreamFeeding.Encode(s_packets);

        Assert.Equal(s_packets, StreamFeeding.DecodeAll(stream));
    }

    [Fact]
    public void EverySplitIntoTwoReads_YieldsTheSamePackets()
    {
        byte[] stream = StreamFeeding.Encode(s_packets);

        for (int split = 1; split < stream.Length; split++)
        {
            Assert.Equal(s_packets, StreamFeeding.DecodeInChunks(stream, [split, stream.Length - split]));
        }
    }

    [Fact]
    public void FrameWithContentLength_IsCompleteOnlyWhenItsContentHasArrived()
    {
        byte[] frame = ProtocolVectors.ContentFrame.Bytes;
        var decoder = new FrameDecoder();
        var allButLast = new ReadOnlySequence<byte>(frame, 0, frame.Length - 1);

        Assert.False(decoder.TryDecode(ref allButLast, out _));
        Assert.True(allButLast.IsEmpty);
        Assert.True(decoder.IsMidFrame);

        var last = new ReadOnlySequence<byte>(frame, frame.Length - 1, 1);
        Assert.True(decoder.TryDecode(ref last, out Packet? packet));
        Assert.Equal("hello"u8.ToArray(), packet.Content.ToArray());
        Assert.False(decoder.IsMidFrame);
    }

    [Fact]
    public void HeldBytes_CountBothBuffersOfAnUnfinishedFrame_AndNothingOnceItIsDone()
    {
        var packet = Packet.Create("BLOB").WithContent(new byte[100_000]).Build();
        var frame = StreamFeeding.Encode([packet]);
        var decoder = new FrameDecoder();
        Assert.Equal(0, decoder.HeldBytes);

        // The JSON buffer and the content's first 64 KiB, not the 100,000 bytes announced.
        var start = new ReadOnlySequence<byte>(frame, 0, 1000);
        Assert.False(decoder.TryDecode(ref start, out _));
        Assert.Equal(packet.Json.Length + (64 * 1024), decoder.HeldBytes);

        // Grown (doubled, but never past the announced length) as the bytes came.
        var most = new ReadOnlySequence<byte>(frame, 1000, frame.Length - 1010);
        Assert.False(decoder.TryDecode(ref most, out _));
        Assert.Equal(packet.Json.Length + 100_000, decoder.HeldBytes);

        var rest = new ReadOnlySequence<byte>(frame, frame.Length - 10, 10);
        Assert.True(decoder.TryDecode(ref rest, out _));
        Assert.Equal(0, decoder.HeldBytes);
    }

    [Fact]
    public void PartialLengthPrefix_IsLeftUnconsumed()
    {
        var decoder = new FrameDecoder();
        var buffer = new ReadOnlySequence<byte>(ProtocolVectors.PingFrame.Bytes, 0, 3);

        Assert.False(decoder.TryDecode(ref buffer, out _));
        Assert.Equal(3, buffer.Length);
    }

    [Fact]
    public void FollowingFrame_StaysInTheBufferAfterAPacket()
    {
        byte[] stream = StreamFeeding.Encode([Packet.From(new Ping()), Packet.From(new Pong())]);
        var decoder = new FrameDecoder();
        var buffer = new ReadOnlySequence<byte>(stream);

        Assert.True(decoder.TryDecode(ref buffer, out Packet? first));
        Assert.Equal(PacketTypes.Ping, first.Type);
        Assert.Equal(ProtocolVectors.PongFrame.Bytes.Length, buffer.Length);
    }

    [Fact]
    public async Task PipeReader_DrivesTheDecoder_WithFramesLargerThanThePausingThreshold()
    {
        // A decoder that waited for whole frames would deadlock here: the writer pauses at 64 KiB unconsumed.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false));
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(content);
        Packet[] sent =
        [
            Packet.Create("BLOB").Set("NAME", "big").WithContent(content).Build(),
            Packet.From(new TextMessage(new string('j', 500 * 1024))),
            Packet.From(new Disconnect()),
        ];

        Task writing = Task.Run(async () =>
        {
            new FrameEncoder().Write(sent, pipe.Writer);
            await pipe.Writer.FlushAsync();
            await pipe.Writer.CompleteAsync();
        });

        var received = new List<Packet>();
        var decoder = new FrameDecoder();
        while (true)
        {
            ReadResult read = await pipe.Reader.ReadAsync();
            ReadOnlySequence<byte> buffer = read.Buffer;
            while (decoder.TryDecode(ref buffer, out Packet? packet))
            {
                received.Add(packet);
            }

            if (read.IsCompleted)
            {
                decoder.Complete(buffer);
                break;
            }

            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
        }

        await pipe.Reader.CompleteAsync();
        await writing;
        Assert.Equal(sent, received);
    }

    [Fact]
    public void TryPeekType_ReadsTheTypeWithoutConsuming()
    {
        var buffer = new ReadOnlySequence<byte>(ProtocolVectors.HelloFrame.Bytes);

        Assert.True(FrameDecoder.TryPeekType(buffer, out string? type));
        Assert.Equal(PacketTypes.Hello, type);
        Assert.Same(PacketTypes.Hello, type);
    }

    [Fact]
    public void TryPeekType_FindsTheTypeBehindOtherFields_AndAcrossSegments()
    {
        byte[] frame = Frames.Of("{\"A\":{\"B\":[1,2]},\"TYPE\":\"LATE_TYPE\"}");

        for (int split = 1; split < frame.Length; split++)
        {
            ReadOnlySequence<byte> buffer = StreamFeeding.Sequence([frame.AsMemory(0, split), frame.AsMemory(split)]);
            Assert.True(FrameDecoder.TryPeekType(buffer, out string? type), $"split at {split}");
            Assert.Equal("LATE_TYPE", type);
        }
    }

    [Fact]
    public void TryPeekType_IsFalseUntilTheTypeHasArrived()
    {
        byte[] frame = ProtocolVectors.MessageFrame.Bytes;

        Assert.False(FrameDecoder.TryPeekType(new ReadOnlySequence<byte>(frame, 0, 3), out _));
        Assert.False(FrameDecoder.TryPeekType(new ReadOnlySequence<byte>(frame, 0, 20), out _));
        Assert.True(FrameDecoder.TryPeekType(new ReadOnlySequence<byte>(frame, 0, 21), out string? type));
        Assert.Equal(PacketTypes.Message, type);
    }

    [Fact]
    public void DecodedReservedTypes_AreTheSharedStrings_SoDecodingAllocatesNoName()
    {
        foreach (string type in PacketTypes.Reserved)
        {
            byte[] frame = Frames.Of($"{{\"TYPE\":\"{type}\"}}");
            Packet packet = Assert.Single(StreamFeeding.DecodeAll(frame));

            Assert.Same(type, packet.Type);
        }
    }

    [Fact]
    public void ARepeatedType_IsRecognisedAsTheLastOne_WhileANearMissIsStillCheckedAndRefused()
    {
        // The decoder remembers its last type; a name differing in case, length or one letter must not pass as it.
        var decoder = new FrameDecoder();
        string[] sequence = ["GAME_STATE", "GAME_STATE", "GAME_STATF", "GAME_STAT", "GAME_STATE_", "GAME_STATE"];
        var types = new List<string>();
        foreach (string type in sequence)
        {
            var frame = new ReadOnlySequence<byte>(Frames.Of($"{{\"TYPE\":\"{type}\",\"N\":1}}"));
            Assert.True(decoder.TryDecode(ref frame, out Packet? packet));
            types.Add(packet.Type);
        }

        Assert.Equal(sequence, types);
        Assert.Same(types[0], types[1]);

        var lowerCase = new ReadOnlySequence<byte>(Frames.Of("""{"TYPE":"GAME_STATe","N":1}"""));
        var refused = Assert.Throws<ProtocolException>(() => decoder.TryDecode(ref lowerCase, out _));
        Assert.Equal(ProtocolError.InvalidType, refused.Reason);
    }
}
