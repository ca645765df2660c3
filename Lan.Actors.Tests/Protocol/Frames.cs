using System.Buffers.Binary;
using System.Text;

namespace Lan.Actors.Tests.Protocol;

/// <summary>Hand-made frames, including ones no encoder would produce.</summary>
internal static class Frames
{
    public static byte[] Of(string json, byte[]? content = null) => Of(Encoding.UTF8.GetBytes(json), content);

    public static byte[] Of(byte[] json, byte[]? content = null)
    {
        content ??= [];
        byte[] frame = new byte[4 + json.Length + content.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)json.Length);
        json.CopyTo(frame, 4);
        content.CopyTo(frame, 4 + json.Length);
        return frame;
    }

    public static byte[] Prefix(uint length)
    {
        byte[] prefix = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, length);
        return prefix;
    }

    public static string Nested(int depth) =>
        "{\"TYPE\":\"DEEP\",\"X\":" + new string('[', depth - 1) + new string(']', depth - 1) + "}";
}
