using System.Buffers;
using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

/// <summary>
/// Feeds a byte stream to a <see cref="FrameDecoder"/> the way a PipeReader does: unconsumed bytes stay in front of the
/// next read, and a read spanning several network reads is a multi-segment sequence.
/// </summary>
internal static class StreamFeeding
{
    public static List<Packet> DecodeInChunks(ReadOnlySpan<byte> stream, IEnumerable<int> chunkSizes, FrameDecoder? decoder = null)
    {
        var packets = new List<Packet>();
        DecodeInChunks(stream, chunkSizes, decoder ?? new FrameDecoder(), packets);
        return packets;
    }

    /// <summary>As above, adding each packet to <paramref name="packets"/> as it is accepted, so a caller still sees them when a later frame fails.</summary>
    public static void DecodeInChunks(ReadOnlySpan<byte> stream, IEnumerable<int> chunkSizes, FrameDecoder decoder, List<Packet> packets)
    {
        var pending = new List<ReadOnlyMemory<byte>>();
        int offset = 0;
        using IEnumerator<int> sizes = chunkSizes.GetEnumerator();
        while (offset < stream.Length)
        {
            int size = sizes.MoveNext() ? Math.Clamp(sizes.Current, 1, stream.Length - offset) : stream.Length - offset;
            pending.Add(stream.Slice(offset, size).ToArray());
            offset += size;
            ReadOnlySequence<byte> buffer = Sequence(pending);
            DecodeAvailable(decoder, ref buffer, packets);
            pending = Segments(buffer);
        }

        decoder.Complete(Sequence(pending));
    }

    public static List<Packet> DecodeAll(ReadOnlySpan<byte> stream, FrameDecoder? decoder = null) =>
        DecodeInChunks(stream, [stream.Length], decoder);

    public static List<Packet> DecodeOneByteAtATime(ReadOnlySpan<byte> stream, FrameDecoder? decoder = null) =>
        DecodeInChunks(stream, Enumerable.Repeat(1, stream.Length), decoder);

    public static byte[] Encode(IEnumerable<Packet> packets, FrameEncoder? encoder = null)
    {
        encoder ??= new FrameEncoder();
        var writer = new ArrayBufferWriter<byte>();
        encoder.Write([.. packets], writer);
        return writer.WrittenSpan.ToArray();
    }

    public static ReadOnlySequence<byte> Sequence(IReadOnlyList<ReadOnlyMemory<byte>> parts)
    {
        if (parts.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(parts[0], 0);
        Segment last = first;
        for (int i = 1; i < parts.Count; i++)
        {
            last = last.Append(parts[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private static void DecodeAvailable(FrameDecoder decoder, ref ReadOnlySequence<byte> buffer, List<Packet> packets)
    {
        // Each call either yields a packet or consumes every byte it can; more calls than bytes would mean a hang.
        long guard = buffer.Length + 2;
        while (decoder.TryDecode(ref buffer, out Packet? packet))
        {
            packets.Add(packet);
            if (--guard < 0)
            {
                throw new InvalidOperationException("decoder keeps yielding packets without consuming bytes");
            }
        }
    }

    private static List<ReadOnlyMemory<byte>> Segments(ReadOnlySequence<byte> buffer)
    {
        var segments = new List<ReadOnlyMemory<byte>>();
        foreach (ReadOnlyMemory<byte> memory in buffer)
        {
            if (!memory.IsEmpty)
            {
                segments.Add(memory);
            }
        }

        return segments;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
