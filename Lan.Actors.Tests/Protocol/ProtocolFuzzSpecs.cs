using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Lan.Actors.Protocol;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Protocol;

/// <summary>
/// One way to damage a valid stream. Which frame and which byte of it are drawn independently, as fractions so they
/// fit any stream: <see cref="Frame"/> picks the frame (every frame, the last included, is equally likely) and
/// <see cref="Where"/> the position inside it.
/// </summary>
public sealed record Mutation(string Kind, double Frame, double Where, int Value)
{
    public override string ToString() => $"{Kind}@frame {Frame:F3}, byte {Where:F3}:{Value}";
}

/// <summary>
/// Hostile and broken input: every outcome is packets or a <see cref="ProtocolException"/>, never another exception,
/// never a hang, and never memory beyond what the limits allow. An oracle checks what is accepted: every packet
/// re-encodes to a frame that decodes to an equal packet, and a frame damaged in its TYPE or length prefix is never
/// taken for the packet it was.
/// </summary>
public sealed class ProtocolFuzzSpecs(ITestOutputHelper output)
{
    // Small limits so that "max" and "max + 1" lengths are reachable by generated streams.
    private static readonly ProtocolSettings s_small = new() { MaxFrameSize = 4096, MaxContentSize = 4096, MaxDepth = 16 };

    private static readonly uint[] s_hostileLengths =
        [0, 0xFFFFFFFF, (uint)s_small.MaxFrameSize, (uint)s_small.MaxFrameSize + 1, int.MaxValue, 0x80000000, 1, 2];

    private static readonly byte[][] s_invalidUtf8 =
        [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0x80]];

    // Encoders write {"TYPE":" first, so a TYPE's characters start this far into a frame.
    private static readonly int s_typeOffset = FrameEncoder.PrefixLength + "{\"TYPE\":\"".Length;

    [Fact]
    public void MutatedStreams_YieldOnlyPacketsOrProtocolErrors_AndNeverAcceptADamagedTypeOrLength()
    {
        Gen<Mutation> mutation =
            from kind in Gen.Elements("flip", "truncate", "length", "type", "utf8", "deep", "garbage", "cut-content")
            from frame in Gen.Choose(0, 999).Select(n => n / 1000.0)
            from position in Gen.Choose(0, 1000).Select(n => n / 1000.0)
            from value in Gen.Choose(0, 1 << 20)
            select new Mutation(kind, frame, position, value);
        Gen<(PacketSpec[] Packets, Mutation[] Mutations, int[] Chunks)> cases =
            from packets in PacketGenerators.Packets
            from mutations in Gen.Choose(1, 4).SelectMany(count => Gen.ArrayOf(mutation, count))
            from chunks in Gen.ListOf(Gen.Choose(1, 64))
            select (packets, mutations, chunks.ToArray());

        var tally = new FuzzTally();
        SeededCheck.Run(output, seed: 31_337, maxTests: 500, Prop.ForAll(cases.ToArbitrary(), fuzz =>
        {
            List<DamagedFrame> frames = Mutate(fuzz.Packets, fuzz.Mutations, tally);
            byte[] stream = [.. frames.SelectMany(frame => frame.Bytes)];
            List<Packet> accepted = AssertOnlyPacketsOrProtocolErrors(stream, fuzz.Chunks);
            AssertNoDamagedTypeOrLengthAccepted(frames, accepted);
            AssertAllocationWithinLimits(stream);
            tally.Accepted += accepted.Count;
        }));

        output.WriteLine($"damaged the last frame {tally.LastFrameDamaged} times, a TYPE {tally.TypesDamaged} times, a length {tally.LengthsDamaged} times; {tally.Accepted} packets accepted and re-encoded");
        // The oracle is only worth something if the generator reaches what it checks.
        Assert.True(tally.LastFrameDamaged > 50, $"the last frame of a stream was damaged only {tally.LastFrameDamaged} times");
        Assert.True(tally.TypesDamaged > 20, $"a TYPE was damaged only {tally.TypesDamaged} times");
        Assert.True(tally.LengthsDamaged > 20, $"a length prefix was damaged only {tally.LengthsDamaged} times");
        Assert.True(tally.Accepted > 100, $"only {tally.Accepted} packets were accepted from damaged streams");
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

    /// <summary>A frame of the stream under test, with the packet it was encoded from (none for inserted junk).</summary>
    private sealed class DamagedFrame(byte[] bytes, Packet? original)
    {
        public byte[] Bytes { get; set; } = bytes;

        public Packet? Original { get; } = original;

        /// <summary>Set once its TYPE or length prefix was changed: the frame then must never decode to <see cref="Original"/>.</summary>
        public bool TypeOrLengthDamaged { get; set; }
    }

    private sealed class FuzzTally
    {
        public int LastFrameDamaged { get; set; }

        public int TypesDamaged { get; set; }

        public int LengthsDamaged { get; set; }

        public int Accepted { get; set; }
    }

    private static List<DamagedFrame> Mutate(PacketSpec[] specs, Mutation[] mutations, FuzzTally tally)
    {
        var frames = new List<DamagedFrame>();
        foreach (PacketSpec spec in specs)
        {
            Packet packet = spec.Build();
            frames.Add(new DamagedFrame(StreamFeeding.Encode([packet]), packet));
        }

        foreach (Mutation mutation in mutations)
        {
            int index = Math.Min(frames.Count - 1, (int)(mutation.Frame * frames.Count));
            DamagedFrame target = frames[index];
            byte[] frame = target.Bytes;
            if (frame.Length < 4)
            {
                // Earlier mutations cut this piece down to nothing worth damaging.
                continue;
            }

            if (index == frames.Count - 1)
            {
                tally.LastFrameDamaged++;
            }

            int at = (int)(mutation.Where * (frame.Length - 1));
            switch (mutation.Kind)
            {
                case "flip":
                    frame[at] ^= (byte)(1 << (mutation.Value % 8));
                    break;
                case "truncate":
                    target.Bytes = frame[..at];
                    break;
                case "cut-content":
                    target.Bytes = frame[..Math.Max(0, frame.Length - 1 - (mutation.Value % 8))];
                    break;
                case "length":
                    uint before = BinaryPrimitives.ReadUInt32BigEndian(frame);
                    uint after = s_hostileLengths[mutation.Value % s_hostileLengths.Length];
                    BinaryPrimitives.WriteUInt32BigEndian(frame, after);
                    if (after != before && target.Original is not null)
                    {
                        target.TypeOrLengthDamaged = true;
                        tally.LengthsDamaged++;
                    }

                    break;
                case "type":
                    DamageType(target, mutation, tally);
                    break;
                case "utf8":
                    target.Bytes = InsertIntoJson(frame, at, s_invalidUtf8[mutation.Value % s_invalidUtf8.Length]);
                    break;
                case "deep":
                    frames.Insert(index, new DamagedFrame(Frames.Of(Frames.Nested(10_000)), original: null));
                    break;
                default:
                    byte[] garbage = new byte[1 + (mutation.Value % 40)];
                    new Random(mutation.Value).NextBytes(garbage);
                    frames.Insert(index, new DamagedFrame(garbage, original: null));
                    break;
            }
        }

        return frames;
    }

    /// <summary>Flips one bit of one TYPE character, when the frame still has the TYPE where the encoder put it.</summary>
    private static void DamageType(DamagedFrame target, Mutation mutation, FuzzTally tally)
    {
        if (target.Original is not { } original || target.Bytes.Length < s_typeOffset + original.Type.Length)
        {
            return;
        }

        int at = s_typeOffset + (int)(mutation.Where * (original.Type.Length - 1));
        target.Bytes[at] ^= (byte)(1 << (mutation.Value % 8));
        target.TypeOrLengthDamaged = true;
        tally.TypesDamaged++;
    }

    /// <summary>
    /// A packet may be accepted at most as often as frames of it were left with their TYPE and length intact: the bytes
    /// of a damaged frame can never read back as the packet it was.
    /// </summary>
    private static void AssertNoDamagedTypeOrLengthAccepted(List<DamagedFrame> frames, List<Packet> accepted)
    {
        foreach (DamagedFrame damaged in frames.Where(frame => frame.TypeOrLengthDamaged))
        {
            Packet original = damaged.Original!;
            int intact = frames.Count(frame => !frame.TypeOrLengthDamaged && original.Equals(frame.Original));
            int taken = accepted.Count(original.Equals);
            Assert.True(taken <= intact, $"{original} was accepted {taken} times, but only {intact} frames of it had their TYPE and length intact");
        }
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

    /// <summary>Decodes the stream as a TCP stream and as one datagram, checking that what is accepted re-encodes; returns the TCP packets.</summary>
    private static List<Packet> AssertOnlyPacketsOrProtocolErrors(byte[] stream, int[] chunks)
    {
        var accepted = new List<Packet>();
        try
        {
            StreamFeeding.DecodeInChunks(stream, chunks, new FrameDecoder(s_small), accepted);
        }
        catch (ProtocolException error)
        {
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }

        foreach (Packet packet in accepted)
        {
            // Whatever a peer accepted, it can send on: the same limits pass, and the frame reads back as the same packet.
            Packet again = Assert.Single(StreamFeeding.DecodeAll(StreamFeeding.Encode([packet], new FrameEncoder(s_small)), new FrameDecoder(s_small)));
            Assert.Equal(packet, again);
            Assert.Equal(packet.Type, again.Type);
        }

        try
        {
            var codec = new DatagramCodec(s_small);
            Packet datagram = codec.Decode(stream);
            Assert.Equal(datagram, codec.Decode(codec.Encode(datagram).Span));
        }
        catch (ProtocolException)
        {
            // Expected for most damaged input.
        }

        return accepted;
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
