using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lan.Actors.Protocol;

/// <summary>
/// A per-thread scratch buffer and JSON writer for building packets, so a packet costs one exact-size array
/// and not a fresh writer and growing buffer each time.
/// </summary>
internal sealed class PacketJsonWriter : IDisposable
{
    // Buffers that grew for one large packet are dropped rather than kept alive on the thread.
    private const int LargestKept = 64 * 1024;

    // Relaxed escaping keeps non-ASCII text as UTF-8 on the wire; packets are never embedded in HTML.
    private static readonly JsonWriterOptions s_options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = ProtocolSettings.MaxSupportedDepth,
    };

    [ThreadStatic]
    private static PacketJsonWriter? t_idle;

    private PacketJsonWriter()
    {
        Buffer = new ArrayBufferWriter<byte>(256);
        Json = new Utf8JsonWriter(Buffer, s_options);
    }

    public ArrayBufferWriter<byte> Buffer { get; }

    public Utf8JsonWriter Json { get; }

    /// <summary>Takes the thread's idle writer, or a new one when it is busy (a serializer that builds a packet inside a packet).</summary>
    public static PacketJsonWriter Rent()
    {
        PacketJsonWriter writer = t_idle ?? new PacketJsonWriter();
        t_idle = null;
        writer.Buffer.ResetWrittenCount();
        writer.Json.Reset(writer.Buffer);
        return writer;
    }

    /// <summary>Copies what was written into an exact-size array.</summary>
    public byte[] ToArray()
    {
        Json.Flush();
        return Buffer.WrittenSpan.ToArray();
    }

    public void Dispose()
    {
        if (Buffer.Capacity <= LargestKept)
        {
            t_idle = this;
        }
        else
        {
            Json.Dispose();
        }
    }
}
