using System.Buffers;
using System.Buffers.Binary;

namespace Lan.Actors.Protocol;

/// <summary>
/// Writes packets as TCP frames (4-byte big-endian length, JSON, then <c>CL</c> content bytes) straight into an
/// <see cref="IBufferWriter{T}"/> such as a <c>PipeWriter</c>: the packet's bytes are copied once, nothing is serialized.
/// </summary>
public sealed class FrameEncoder
{
    /// <summary>Length of the big-endian length prefix of every frame.</summary>
    public const int PrefixLength = 4;

    // Small frames are copied into one span with one Advance; larger ones in whatever pieces the writer offers.
    private const int SingleSpanLimit = 4096;

    /// <summary>Creates an encoder that refuses packets the peer's decoder would refuse under <paramref name="settings"/>.</summary>
    public FrameEncoder(ProtocolSettings? settings = null) => Settings = settings ?? ProtocolSettings.Default;

    /// <summary>The limits checked before anything is written.</summary>
    public ProtocolSettings Settings { get; }

    /// <summary>Writes one frame. Throws <see cref="ProtocolException"/> before writing when the packet exceeds the limits.</summary>
    public void Write(Packet packet, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(writer);
        CheckLimits(packet);
        WriteFrame(packet, writer);
    }

    /// <summary>
    /// Writes many frames back to back, for one flush and one socket send. Every packet is checked first, so either all
    /// are written or none.
    /// </summary>
    public void Write(ReadOnlySpan<Packet> packets, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (Packet packet in packets)
        {
            ArgumentNullException.ThrowIfNull(packet, nameof(packets));
            CheckLimits(packet);
        }

        foreach (Packet packet in packets)
        {
            WriteFrame(packet, writer);
        }
    }

    /// <summary>Throws <see cref="ProtocolException"/> when a peer with these settings would refuse <paramref name="packet"/>.</summary>
    public void CheckLimits(Packet packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        switch (LimitExceeded(packet))
        {
            case ProtocolError.FrameTooLarge:
                throw new ProtocolException(ProtocolError.FrameTooLarge,
                    $"frame of {ByteSizeText.Format(packet.Json.Length)} exceeds lan.protocol.max-frame-size = {ByteSizeText.Format(Settings.MaxFrameSize)}; "
                    + $"move bulk data of {packet.Type} into its content or raise the limit on both peers");
            case ProtocolError.TooDeep:
                throw new ProtocolException(ProtocolError.TooDeep,
                    $"packet {packet.Type} nests {packet.Depth} levels, deeper than lan.protocol.max-depth = {Settings.MaxDepth}; "
                    + "a peer would refuse it: flatten the packet or raise the limit on both peers");
            case ProtocolError.ContentTooLarge:
                throw new ProtocolException(ProtocolError.ContentTooLarge,
                    $"content of {ByteSizeText.Format(packet.Content.Length)} exceeds lan.protocol.max-content-size = {ByteSizeText.Format(Settings.MaxContentSize)}; "
                    + "split the data into several packets or raise the limit on both peers");
        }
    }

    /// <summary>The limit a peer with these settings would refuse <paramref name="packet"/> for; null when it fits. Throws nothing: a send queue asks this of every packet.</summary>
    internal ProtocolError? LimitExceeded(Packet packet)
    {
        if (packet.Json.Length > Settings.MaxFrameSize)
        {
            return ProtocolError.FrameTooLarge;
        }

        if (packet.MayNestDeeperThan(Settings.MaxDepth))
        {
            return ProtocolError.TooDeep;
        }

        return packet.Content.Length > Settings.MaxContentSize ? ProtocolError.ContentTooLarge : null;
    }

    /// <summary>Writes one frame without checking limits: for a caller that has already run <see cref="CheckLimits"/> on this packet.</summary>
    internal static void WriteFrame(Packet packet, IBufferWriter<byte> writer)
    {
        ReadOnlySpan<byte> json = packet.Json.Span;
        ReadOnlySpan<byte> content = packet.Content.Span;
        long frameLength = packet.FrameLength;
        if (frameLength <= SingleSpanLimit)
        {
            int length = (int)frameLength;
            Span<byte> frame = writer.GetSpan(length);
            BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)json.Length);
            json.CopyTo(frame[PrefixLength..]);
            content.CopyTo(frame[(PrefixLength + json.Length)..]);
            writer.Advance(length);
            return;
        }

        Span<byte> prefix = writer.GetSpan(PrefixLength);
        BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)json.Length);
        writer.Advance(PrefixLength);
        CopyInPieces(json, writer);
        CopyInPieces(content, writer);
    }

    private static void CopyInPieces(ReadOnlySpan<byte> source, IBufferWriter<byte> writer)
    {
        while (!source.IsEmpty)
        {
            Span<byte> target = writer.GetSpan();
            int count = Math.Min(target.Length, source.Length);
            source[..count].CopyTo(target);
            writer.Advance(count);
            source = source[count..];
        }
    }
}
