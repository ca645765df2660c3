using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace Lan.Actors.Protocol;

/// <summary>
/// Turns a TCP byte stream into packets, however the stream was split: one byte per read or many frames per read.
/// It consumes bytes as they arrive (copying each exactly once into the packet's own buffers), so a
/// <c>PipeReader</c> never has to hold a whole large frame and never stalls on its pause threshold.
/// </summary>
/// <remarks>
/// Drive it from a pipe like this: call <see cref="TryDecode"/> until it returns false, then
/// <c>reader.AdvanceTo(buffer.Start, buffer.End)</c>; at the end of the stream call <see cref="Complete"/>.
/// After a <see cref="ProtocolException"/> the stream is out of sync for good, and every later call throws the same error.
/// One decoder serves one stream and is not thread-safe.
/// </remarks>
public sealed class FrameDecoder
{
    private readonly ProtocolSettings _settings;
    // A connection mostly sends a few types, often one over and over: the last one is recognised by comparison alone.
    private string? _lastType;
    // Buffers start at this size and double as bytes arrive, up to the announced length.
    private const int FirstChunk = 64 * 1024;

    private byte[]? _json;
    private int _jsonLength;
    private int _jsonFilled;
    private string? _type;
    private byte[]? _content;
    private int _contentLength;
    private int _contentFilled;
    private ExceptionDispatchInfo? _failure;

    /// <summary>Creates a decoder for one stream, enforcing <paramref name="settings"/>.</summary>
    public FrameDecoder(ProtocolSettings? settings = null) => _settings = settings ?? ProtocolSettings.Default;

    /// <summary>True while part of a frame has been consumed and the rest is awaited.</summary>
    public bool IsMidFrame => _json is not null;

    /// <summary>The bytes the buffers of an unfinished frame take (what a node-wide receive budget counts); 0 between frames.</summary>
    internal long HeldBytes => (_json?.Length ?? 0) + (_content?.Length ?? 0);

    /// <summary>
    /// Consumes bytes from the front of <paramref name="buffer"/> (advancing it) and returns true with a packet once a whole
    /// frame and its content have arrived. False means more bytes are needed; fewer than 4 bytes of a length prefix
    /// are left unconsumed. Throws <see cref="ProtocolException"/> on bad input.
    /// </summary>
    public bool TryDecode(ref ReadOnlySequence<byte> buffer, [NotNullWhen(true)] out Packet? packet)
    {
        _failure?.Throw();
        try
        {
            return TryDecodeFrame(ref buffer, out packet);
        }
        catch (Exception e) when (e is ProtocolException or OutOfMemoryException)
        {
            RecordFailure(e);
            throw;
        }
    }

    // The stream cannot be resynchronised after either error: every later call reports the same failure.
    private void RecordFailure(Exception e)
    {
        _failure = ExceptionDispatchInfo.Capture(e);
        _json = null;
        _content = null;
    }

    /// <summary>
    /// The reader's fast path: decodes the whole frame (content included) at the front of <paramref name="bytes"/> and
    /// says how many bytes it took. False when the frame is not all there (nothing taken) or when its content is still
    /// arriving (its prefix and JSON taken into the decoder, <paramref name="consumed"/> saying how many bytes): either
    /// way <see cref="TryDecode"/> goes on with the rest, and reports any error a refused prefix deserves.
    /// </summary>
    internal bool TryDecodeWhole(ReadOnlySpan<byte> bytes, out int consumed, [NotNullWhen(true)] out Packet? packet)
    {
        consumed = 0;
        packet = null;
        if (_json is not null || _failure is not null)
        {
            return false;
        }

        try
        {
            return DecodeWholeFrame(bytes, out consumed, out packet);
        }
        catch (Exception e) when (e is ProtocolException or OutOfMemoryException)
        {
            RecordFailure(e);
            throw;
        }
    }

    /// <summary>
    /// Call when the stream has ended, with the bytes <see cref="TryDecode"/> left: throws <see cref="ProtocolError.TruncatedFrame"/>
    /// when a frame was cut short, and does nothing when the stream ended cleanly between frames.
    /// </summary>
    public void Complete(in ReadOnlySequence<byte> remaining)
    {
        _failure?.Throw();
        if (_json is null && remaining.IsEmpty)
        {
            return;
        }

        string where = _json is null
            ? $"{remaining.Length} bytes into a 4-byte length prefix"
            : _type is null
                ? $"after {_jsonFilled} of {_jsonLength} bytes of JSON"
                : $"after {_contentFilled} of {_contentLength} content bytes of {_type}";
        var truncated = new ProtocolException(ProtocolError.TruncatedFrame,
            $"the stream ended mid-frame, {where}; the peer closed or crashed while sending");
        _failure = ExceptionDispatchInfo.Capture(truncated);
        throw truncated;
    }

    /// <summary>
    /// Reads the <c>TYPE</c> of the frame at the front of <paramref name="buffer"/> without decoding or consuming it, e.g. to route
    /// frames. False when the bytes so far do not yet show a valid TYPE; this is no validation of the frame.
    /// </summary>
    public static bool TryPeekType(in ReadOnlySequence<byte> buffer, [NotNullWhen(true)] out string? type) =>
        FramePeek.TryPeekType(buffer, out type);

    private bool TryDecodeFrame(ref ReadOnlySequence<byte> buffer, [NotNullWhen(true)] out Packet? packet)
    {
        packet = null;
        if (_json is null && TryDecodeWholeFrame(ref buffer, out packet))
        {
            return true;
        }

        if (_json is null)
        {
            if (!TryReadLength(ref buffer, out int jsonLength))
            {
                return false;
            }

            // The length is checked before a byte is allocated, and the buffer grows only as bytes arrive, so
            // a hostile prefix announcing the maximum costs a small buffer, not the maximum.
            _json = new byte[Math.Min(jsonLength, FirstChunk)];
            _jsonLength = jsonLength;
            _jsonFilled = 0;
            _type = null;
        }

        if (_type is null)
        {
            _jsonFilled = FillGrowing(ref buffer, ref _json, _jsonFilled, _jsonLength);
            if (_jsonFilled < _jsonLength)
            {
                return false;
            }

            PacketHeader header = PacketHeaderParser.Parse(_json, _settings.MaxDepth, _settings.MaxContentSize, isDatagram: false);
            _type = header.Type;
            _contentLength = (int)header.ContentLength;
            // Stryker disable once Conditional,Equality : equivalent: for no content both arms give an empty array, and an empty first buffer is grown by FillGrowing to the same first chunk
            _content = _contentLength == 0 ? [] : new byte[Math.Min(_contentLength, FirstChunk)];
            _contentFilled = 0;
        }

        _contentFilled = FillGrowing(ref buffer, ref _content!, _contentFilled, _contentLength);
        if (_contentFilled < _contentLength)
        {
            return false;
        }

        packet = new Packet(_json, _type, _content);
        _json = null;
        _content = null;
        _type = null;
        return true;
    }

    // A depth the scanner measured saves the encoder a second look when the packet is sent on (an echo, a relay).
    private static Packet Decoded(byte[] json, PacketHeader header, byte[] content) =>
        header.Depth > 0 ? new Packet(json, header.Type, content, header.Depth) : new Packet(json, header.Type, content);

    /// <summary>
    /// The common case, a whole frame at the front of the first segment (many small frames per read): decoded straight
    /// from the span, with the same checks as the general path but without its sequence slicing and growing buffers.
    /// False, touching nothing, when the frame is not all there or its prefix must be refused: the general path then
    /// takes it and reports the error in its own words.
    /// </summary>
    private bool TryDecodeWholeFrame(ref ReadOnlySequence<byte> buffer, [NotNullWhen(true)] out Packet? packet)
    {
        bool decoded = DecodeWholeFrame(buffer.FirstSpan, out int consumed, out packet);
        buffer = buffer.Slice(consumed);
        return decoded;
    }

    /// <summary>
    /// The whole-frame path on a span, for both callers: true with the packet when frame and content are all in
    /// <paramref name="bytes"/>; false having taken nothing when the frame is not all there or its prefix must be
    /// refused; false having taken the prefix and JSON (<paramref name="consumed"/>) when only the content is missing,
    /// which the general path then fills as if it had read this JSON itself.
    /// </summary>
    private bool DecodeWholeFrame(ReadOnlySpan<byte> bytes, out int consumed, [NotNullWhen(true)] out Packet? packet)
    {
        consumed = 0;
        packet = null;
        if (bytes.Length < FrameEncoder.PrefixLength)
        {
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if (length == 0 || length > (uint)_settings.MaxFrameSize || (ulong)bytes.Length < FrameEncoder.PrefixLength + (ulong)length)
        {
            return false;
        }

        int jsonLength = (int)length;
        int frameEnd = FrameEncoder.PrefixLength + jsonLength;
        ReadOnlySpan<byte> jsonBytes = bytes[FrameEncoder.PrefixLength..frameEnd];
        PacketHeader header = PacketHeaderParser.Parse(jsonBytes, _settings.MaxDepth, _settings.MaxContentSize, isDatagram: false, ref _lastType);
        byte[] json = jsonBytes.ToArray();
        if (bytes.Length - frameEnd >= header.ContentLength)
        {
            byte[] content = header.ContentLength == 0 ? [] : bytes.Slice(frameEnd, header.ContentLength).ToArray();
            packet = Decoded(json, header, content);
            consumed = frameEnd + header.ContentLength;
            return true;
        }

        _json = json;
        _jsonLength = jsonLength;
        _jsonFilled = jsonLength;
        _type = header.Type;
        _contentLength = header.ContentLength;
        _content = new byte[Math.Min(_contentLength, FirstChunk)];
        _contentFilled = 0;
        consumed = frameEnd;
        return false;
    }

    /// <summary>Copies what has arrived into <paramref name="array"/>, doubling it (up to <paramref name="target"/>) when full.</summary>
    private static int FillGrowing(ref ReadOnlySequence<byte> buffer, ref byte[] array, int filled, int target)
    {
        while (filled < target && !buffer.IsEmpty)
        {
            if (filled == array.Length)
            {
                Array.Resize(ref array, (int)Math.Min(target, Math.Max((long)FirstChunk, 2L * array.Length)));
            }

            filled += Fill(ref buffer, array.AsSpan(filled, Math.Min(array.Length, target) - filled));
        }

        return filled;
    }

    private bool TryReadLength(ref ReadOnlySequence<byte> buffer, out int jsonLength)
    {
        jsonLength = 0;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadBigEndian(out int signed))
        {
            return false;
        }

        uint length = unchecked((uint)signed);
        if (length == 0)
        {
            // Stryker disable once Statement : equivalent: without it the header parser refuses the empty JSON with the same reason and message
            throw new ProtocolException(ProtocolError.EmptyFrame,
                "empty frame (length prefix 0); a frame must hold one JSON object with a TYPE");
        }

        if (length > (uint)_settings.MaxFrameSize)
        {
            throw new ProtocolException(ProtocolError.FrameTooLarge,
                $"frame of {ByteSizeText.Format(length)} exceeds lan.protocol.max-frame-size = {ByteSizeText.Format(_settings.MaxFrameSize)}; "
                + "the peer must move bulk data into content (CL), or both peers must raise the limit");
        }

        jsonLength = (int)length;
        buffer = buffer.Slice(FrameEncoder.PrefixLength);
        return true;
    }

    private static int Fill(ref ReadOnlySequence<byte> buffer, Span<byte> target)
    {
        int count = (int)Math.Min(target.Length, buffer.Length);
        // Stryker disable once Equality : equivalent for >=: copying and slicing zero bytes changes nothing
        if (count > 0)
        {
            ReadOnlySequence<byte> source = buffer.Slice(0, count);
            source.CopyTo(target);
            buffer = buffer.Slice(source.End);
        }

        return count;
    }
}
