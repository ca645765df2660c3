using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Lan.Actors.Protocol;

/// <summary>
/// The vectorised inner loop of <see cref="PacketHeaderScanner"/>: finding where a JSON string body stops. Its own
/// file because it is the one part written against the hardware (32-, 16- and 1-byte paths that must agree).
/// </summary>
internal static class JsonStringScan
{
    /// <summary>
    /// Where a string body stops: its closing quote, or a backslash (an escape) or control character, which send the
    /// packet to the full parser, and with <paramref name="stopAtNonAscii"/> also a byte past 0x7F. Thirty-two or
    /// sixteen bytes at a time, the last block overlapping the one before rather than finishing byte by byte; -1 when
    /// the text ends first.
    /// </summary>
    public static int IndexOfStop(ReadOnlySpan<byte> text, bool stopAtNonAscii)
    {
        ref var start = ref MemoryMarshal.GetReference(text);
        var at = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; at + Vector256<byte>.Count <= text.Length; at += Vector256<byte>.Count)
            {
                var stops = Stops(Vector256.LoadUnsafe(ref start, (nuint)at), stopAtNonAscii);
                if (stops != 0)
                {
                    return at + BitOperations.TrailingZeroCount(stops);
                }
            }
        }

        if (Vector128.IsHardwareAccelerated && text.Length >= Vector128<byte>.Count)
        {
            for (; at < text.Length; at += Vector128<byte>.Count)
            {
                // The last block ends at the end of the text; the bytes it repeats were already found free of stops.
                var from = Math.Min(at, text.Length - Vector128<byte>.Count);
                var stops = Stops(Vector128.LoadUnsafe(ref start, (nuint)from), stopAtNonAscii) >> (at - from);
                if (stops != 0)
                {
                    return at + BitOperations.TrailingZeroCount(stops);
                }
            }

            return -1;
        }

        for (; at < text.Length; at++)
        {
            if (text[at] is (byte)'"' or (byte)'\\' or < (byte)' ' || (stopAtNonAscii && text[at] > 0x7F))
            {
                return at;
            }
        }

        return -1;
    }

    // A lane stops the scan at a quote or a backslash, or below a space: compared as signed bytes, everything past 0x7F
    // is below a space too, so the non-ASCII test costs nothing when wanted.
    private static uint Stops(Vector256<byte> bytes, bool stopAtNonAscii) =>
        (Vector256.Equals(bytes, Vector256.Create((byte)'"'))
        | Vector256.Equals(bytes, Vector256.Create((byte)'\\'))
        | (stopAtNonAscii
            ? Vector256.LessThan(bytes.AsSByte(), Vector256.Create((sbyte)' ')).AsByte()
            : Vector256.LessThan(bytes, Vector256.Create((byte)' ')))).ExtractMostSignificantBits();

    private static uint Stops(Vector128<byte> bytes, bool stopAtNonAscii) =>
        (Vector128.Equals(bytes, Vector128.Create((byte)'"'))
        | Vector128.Equals(bytes, Vector128.Create((byte)'\\'))
        | (stopAtNonAscii
            ? Vector128.LessThan(bytes.AsSByte(), Vector128.Create((sbyte)' ')).AsByte()
            : Vector128.LessThan(bytes, Vector128.Create((byte)' ')))).ExtractMostSignificantBits();
}
