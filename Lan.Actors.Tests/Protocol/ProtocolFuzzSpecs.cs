using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Lan.Actors.Protocol;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Protocol;

/// <summary>One way to damage a valid stream; positions are fractions so they fit any stream length.</summary>
public sealed record Mutation(string Kind, double Where, int Value)
{
    public override string ToString() => $"{Kind}@{Where:F3}:{Value}";
}

/// <summary>
/// Hostile and broken input: every outcome is packets or a <see cref="ProtocolException"/>, never another exception,
/// never a hang, and never memory beyond what the limits allow.
/// </summary>
public sealed class ProtocolFuzzSpecs(ITestOutputHelper output)
{
    // Small limits so that "max" and "max + 1" lengths are reachable by generated streams.
    private static readonly ProtocolSettings s_small = new() { MaxFrameSize = 4096, MaxContentSize = 4096, MaxDepth = 16 };

    private static readonly uint[] s_hostileLengths =
        [0, 0xFFFFFFFF, (uint)s_small.MaxFrameSize, (uint)s_small.MaxFrameSize + 1, int.MaxValue, 0x80000000, 1, 2];

    private static readonly byte[][] s_invalidUtf8 =
        [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0x80]];

    [Fact]
    public void MutatedStreams_YieldOnlyPacketsOrProtocolErrors()
    {
        Gen<Mutation> mutation =
            from kind in Gen.Elements("flip", "truncate", "length", "utf8", "deep", "garbage", "cut-content")
            from position in Gen.Choose(0, 1000).Select(n => n / 1000.0)
            from value in Gen.Choose(0, 1 << 20)
            select new Mutation(kind, position, value);
        Gen<(PacketSpec[] Packets, Mutation[] Mutations, int[] Chunks)> cases =
            from packets in PacketGenerators.Packets
            from mutations in Gen.Choose(1, 4).SelectMany(count => Gen.ArrayOf(mutation, count))
            from chunks in Gen.ListOf(Gen.Choose(1, 64))
            select (packets, mutations, chunks.ToArray());

        SeededCheck.Run(output, seed: 31_337, maxTests: 500, Prop.ForAll(cases.ToArbitrary(), fuzz =>
        {
            byte[] stream = Mutate(fuzz.Packets, fuzz.Mutations);
            AssertOnlyPacketsOrProtocolErrors(stream, fuzz.Chunks);
            AssertAllocationWithinLimits(stream);
        }));
    }

    [Fact]
    public void RandomBytes_YieldOnlyPacketsOrProtocolErrors()
    {
        const int Seed = 8_675_309;
        output.WriteLine($"System.Random seed {Seed}");
        var random = new Random(Seed);
        for (int i = 0; i < 2_000; i++)
        {
            byte[] stream = new byte[random.Next(0, 200)];
            random.NextBytes(stream);
            if (stream.Length >= 4 && random.Next(2) == 0)
            {
                // Half the streams get a plausible prefix so the JSON checks are reached, not only the length check.
                BinaryPrimitives.WriteUInt32BigEndian(stream, (uint)random.Next(0, stream.Length));
            }

            AssertOnlyPacketsOrProtocolErrors(stream, [random.Next(1, 50)]);
            AssertAllocationWithinLimits(stream);
        }
    }

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0x80000000u)]
    [InlineData(0x7FFFFFFFu)]
    [InlineData(4097u)]
    public void HostileLengthPrefix_AllocatesNothingLikeTheClaimedSize(uint claimed)
    {
        byte[] stream = [.. Frames.Prefix(claimed), .. "{\"TYPE\":\"X\"}"u8];

        long allocated = DecodeCountingAllocations(stream, out ProtocolException? error);

        Assert.Equal(ProtocolError.FrameTooLarge, error?.Reason);
        Assert.True(allocated < 16 * 1024, $"allocated {allocated} bytes for a header claiming {claimed}");
    }

    [Fact]
    public void LengthAtTheLimit_AllocatesOnlyTheFrame()
    {
        byte[] stream = Frames.Prefix((uint)s_small.MaxFrameSize);

        long allocated = DecodeCountingAllocations(stream, out ProtocolException? error);

        Assert.Equal(ProtocolError.TruncatedFrame, error?.Reason);
        Assert.True(allocated < s_small.MaxFrameSize + (16 * 1024), $"allocated {allocated} bytes for a {s_small.MaxFrameSize}-byte frame");
    }

    [Fact]
    public void ContentLengthAtTheLimit_AllocatesOnlyTheContent()
    {
        byte[] stream = Frames.Of($"{{\"TYPE\":\"X\",\"CL\":{s_small.MaxContentSize}}}");

        long allocated = DecodeCountingAllocations(stream, out ProtocolException? error);

        Assert.Equal(ProtocolError.TruncatedFrame, error?.Reason);
        Assert.True(allocated < s_small.MaxContentSize + (16 * 1024), $"allocated {allocated} bytes for {s_small.MaxContentSize} bytes of content");
    }

    private static byte[] Mutate(PacketSpec[] specs, Mutation[] mutations)
    {
        var frames = new List<byte[]>();
        foreach (PacketSpec spec in specs)
        {
            frames.Add(StreamFeeding.Encode([spec.Build()]));
        }

        foreach (Mutation mutation in mutations)
        {
            int index = (int)(mutation.Where * (frames.Count - 1));
            byte[] frame = frames[index];
            if (frame.Length < 4)
            {
                // Earlier mutations cut this piece down to nothing worth damaging.
                continue;
            }

            int at = (int)(mutation.Where * (frame.Length - 1));
            switch (mutation.Kind)
            {
                case "flip":
                    frame[at] ^= (byte)(1 << (mutation.Value % 8));
                    break;
                case "truncate":
                    frames[index] = frame[..at];
                    break;
                case "cut-content":
                    frames[index] = frame[..Math.Max(0, frame.Length - 1 - (mutation.Value % 8))];
                    break;
                case "length":
                    BinaryPrimitives.WriteUInt32BigEndian(frame, s_hostileLengths[mutation.Value % s_hostileLengths.Length]);
                    break;
                case "utf8":
                    frames[index] = InsertIntoJson(frame, at, s_invalidUtf8[mutation.Value % s_invalidUtf8.Length]);
                    break;
                case "deep":
                    frames.Insert(index, Frames.Of(Frames.Nested(10_000)));
                    break;
                default:
                    byte[] garbage = new byte[1 + (mutation.Value % 40)];
                    new Random(mutation.Value).NextBytes(garbage);
                    frames.Insert(index, garbage);
                    break;
            }
        }

        return [.. frames.SelectMany(frame => frame)];
    }

    /// <summary>Inserts bytes into a frame's JSON and fixes its length, so the damage reaches the JSON checks.</summary>
    private static byte[] InsertIntoJson(byte[] frame, int at, byte[] bad)
    {
        if (frame.Length < 5)
        {
            return [.. frame, .. bad];
        }

        // Earlier mutations may have left any prefix; only a plausible one is kept in step with the insertion.
        long claimed = BinaryPrimitives.ReadUInt32BigEndian(frame);
        if (claimed == 0 || claimed > frame.Length - 4)
        {
            return [.. frame[..at], .. bad, .. frame[at..]];
        }

        int jsonLength = (int)claimed;
        int position = 4 + Math.Min(Math.Max(at - 4, 0), jsonLength - 1);
        byte[] mutated = [.. frame[..position], .. bad, .. frame[position..]];
        BinaryPrimitives.WriteUInt32BigEndian(mutated, (uint)(jsonLength + bad.Length));
        return mutated;
    }

    private static void AssertOnlyPacketsOrProtocolErrors(byte[] stream, int[] chunks)
    {
        try
        {
            StreamFeeding.DecodeInChunks(stream, chunks, new FrameDecoder(s_small));
        }
        catch (ProtocolException error)
        {
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }

        try
        {
            new DatagramCodec(s_small).Decode(stream);
        }
        catch (ProtocolException)
        {
            // Expected for most damaged input.
        }
    }

    private static void AssertAllocationWithinLimits(byte[] stream)
    {
        long allocated = DecodeCountingAllocations(stream, out _);

        // Completed frames cannot hold more than the stream itself; one unfinished frame may hold up to the limits.
        long bound = (16L * stream.Length) + s_small.MaxFrameSize + s_small.MaxContentSize + (64 * 1024);
        Assert.True(allocated <= bound, $"decoding {stream.Length} bytes allocated {allocated} bytes (bound {bound}): {Convert.ToHexString(stream.AsSpan(0, Math.Min(64, stream.Length)))}");
    }

    private static long DecodeCountingAllocations(byte[] stream, out ProtocolException? error)
    {
        var decoder = new FrameDecoder(s_small);
        var buffer = new ReadOnlySequence<byte>(stream);
        error = null;
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            while (decoder.TryDecode(ref buffer, out _))
            {
            }

            decoder.Complete(buffer);
        }
        catch (ProtocolException e)
        {
            error = e;
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
