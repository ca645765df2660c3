using System.Collections.Concurrent;
using System.Text;

namespace Lan.Actors.Protocol;

/// <summary>Validates <c>TYPE</c> values and turns the common ones into shared strings so decoding does not allocate them.</summary>
internal static class PacketTypeName
{
    public const int MaxLength = 64;

    // Peers choose the types they send, so the shared set is bounded: beyond it, names are simply allocated.
    private const int MaxShared = 1024;

    private static readonly ConcurrentDictionary<string, string> s_shared = CreateShared();
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> s_byChars =
        s_shared.GetAlternateLookup<ReadOnlySpan<char>>();

    private static int s_sharedCount = s_shared.Count;

    public static bool IsValid(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty || utf8.Length > MaxLength)
        {
            return false;
        }

        foreach (byte b in utf8)
        {
            if (!IsAllowed(b))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsValid(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty || chars.Length > MaxLength)
        {
            return false;
        }

        foreach (char c in chars)
        {
            if (c > 127 || !IsAllowed((byte)c))
            {
                return false;
            }
        }

        return true;
    }

    public static void Validate(string type, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(type, parameterName);
        if (!IsValid(type))
        {
            throw new ArgumentException(
                $"packet type \"{type}\" is invalid; use 1 to {MaxLength} characters from A-Z, 0-9 and _ (e.g. CHAT_LINE)",
                parameterName);
        }
    }

    /// <summary>Returns the string for an already validated type, shared when it has been seen before.</summary>
    public static string ToShared(ReadOnlySpan<byte> validType)
    {
        Span<char> chars = stackalloc char[MaxLength];
        int length = Encoding.ASCII.GetChars(validType, chars);
        chars = chars[..length];
        if (s_byChars.TryGetValue(chars, out string? shared))
        {
            return shared;
        }

        string type = new(chars);
        if (Volatile.Read(ref s_sharedCount) < MaxShared && s_shared.TryAdd(type, type))
        {
            Interlocked.Increment(ref s_sharedCount);
        }

        return type;
    }

    /// <summary>Adds a type the application declared, so packets of that type decode without allocating their name.</summary>
    public static void Share(string validType)
    {
        if (Volatile.Read(ref s_sharedCount) < MaxShared && s_shared.TryAdd(validType, validType))
        {
            Interlocked.Increment(ref s_sharedCount);
        }
    }

    private static bool IsAllowed(byte b) => b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_';

    private static ConcurrentDictionary<string, string> CreateShared()
    {
        var shared = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        foreach (string type in PacketTypes.Reserved)
        {
            shared.TryAdd(type, type);
        }

        return shared;
    }
}
