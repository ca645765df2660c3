using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Lan.Actors.Protocol;

/// <summary>Validates <c>TYPE</c> values and hands out shared strings for them, so decoding a known type allocates nothing.</summary>
internal static class PacketTypeName
{
    public const int MaxLength = 64;

    // A fixed table, not a growing dictionary: peers choose the types they send, so the cache must stay bounded.
    // A slot holds the last type that hashed to it; collisions only cost an allocation, never a wrong answer.
    private const int SlotBits = 10;
    private static readonly string?[] s_slots = CreateSlots();

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
            // Stryker disable once Equality : equivalent for >=: 127 is DEL, which IsAllowed refuses as well
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
    public static string ToShared(ReadOnlySpan<byte> validType) => SharedAt(validType, Slot(validType));

    private static string SharedAt(ReadOnlySpan<byte> validType, int index)
    {
        ref string? slot = ref s_slots[index];
        string? cached = Volatile.Read(ref slot);
        if (cached is not null && Ascii.Equals(validType, cached))
        {
            return cached;
        }

        string type = Encoding.ASCII.GetString(validType);
        if (cached is null || !PacketTypes.IsReserved(cached))
        {
            Volatile.Write(ref slot, type);
        }

        return type;
    }

    /// <summary>
    /// Validates and shares in one pass (the decoder's fast path): false, with no string, when <paramref name="utf8"/>
    /// is not a valid type name.
    /// </summary>
    public static bool TryShare(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out string? type)
    {
        type = null;
        if (utf8.IsEmpty || utf8.Length > MaxLength)
        {
            return false;
        }

        uint hash = (uint)utf8.Length;
        foreach (byte b in utf8)
        {
            if (!IsAllowed(b))
            {
                return false;
            }

            hash = (hash * 31) + b;
        }

        type = SharedAt(utf8, SlotOf(hash));
        return true;
    }

    /// <summary>Remembers a type the application declared, so packets of that type decode without allocating their name.</summary>
    public static void Share(string validType)
    {
        ref string? slot = ref s_slots[Slot(Encoding.ASCII.GetBytes(validType))];
        if (slot is null || !PacketTypes.IsReserved(slot))
        {
            Volatile.Write(ref slot, validType);
        }
    }

    private static int Slot(ReadOnlySpan<byte> type)
    {
        uint hash = (uint)type.Length;
        foreach (byte b in type)
        {
            hash = (hash * 31) + b;
        }

        return SlotOf(hash);
    }

    // Fibonacci hashing spreads the bits; the reserved types land in distinct slots (a spec checks it).
    private static int SlotOf(uint hash) => (int)((hash * 0x9E3779B1u) >> (32 - SlotBits));

    private static bool IsAllowed(byte b) => b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_';

    private static string?[] CreateSlots()
    {
        string?[] slots = new string?[1 << SlotBits];
        foreach (string type in PacketTypes.Reserved)
        {
            slots[Slot(Encoding.ASCII.GetBytes(type))] = type;
        }

        return slots;
    }
}
