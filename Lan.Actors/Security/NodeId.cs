using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lan.Actors.Security;

/// <summary>
/// A node's ID: the SHA-256 fingerprint of its certificate, written so people can read it aloud and compare it.
/// The 32 bytes are base32 (RFC 4648, no padding: 52 characters) in four blocks of 13, each followed by a Luhn
/// mod 32 check character (56 in all), shown as eight groups of seven joined by dashes; the first group is
/// <see cref="Short"/>, the form prompts show. A mistyped character fails its block's check instead of naming
/// another node.
/// </summary>
public sealed class NodeId : IEquatable<NodeId>
{
    /// <summary>Characters of the written form without its dashes.</summary>
    public const int Length = 56;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const int BlockLength = 13;
    private const int GroupLength = 7;
    private readonly string _compact;

    private NodeId(string compact) => _compact = compact;

    /// <summary>The first group: what a prompt shows beside an alias.</summary>
    public string Short => _compact[..GroupLength];

    /// <summary>The fingerprint's 32 bytes.</summary>
    public byte[] Fingerprint()
    {
        var data = string.Concat(Enumerable.Range(0, 4).Select(block => _compact.AsSpan(block * (BlockLength + 1), BlockLength).ToString()));
        return FromBase32(data);
    }

    /// <summary>The ID of the node holding <paramref name="certificate"/>: its DER bytes' SHA-256.</summary>
    public static NodeId Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return FromFingerprint(SHA256.HashData(certificate.RawDataMemory.Span));
    }

    /// <summary>The ID whose fingerprint is <paramref name="sha256"/>.</summary>
    /// <exception cref="ArgumentException">The fingerprint is not 32 bytes.</exception>
    public static NodeId FromFingerprint(ReadOnlySpan<byte> sha256)
    {
        if (sha256.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException($"a fingerprint is {SHA256.HashSizeInBytes} bytes, got {sha256.Length}", nameof(sha256));
        }

        var data = ToBase32(sha256);
        var compact = string.Concat(Enumerable.Range(0, 4).Select(block =>
        {
            var part = data.Substring(block * BlockLength, BlockLength);
            return part + CheckCharacter(part);
        }));
        return new NodeId(compact);
    }

    /// <summary>
    /// Reads an ID as a person may type it: any case, with or without dashes and spaces. False, with
    /// <paramref name="error"/> saying what is wrong, for a wrong length, a character outside base32 or a failed check.
    /// </summary>
    public static bool TryParse(string? text, out NodeId id, out string error)
    {
        id = null!;
        var compact = new string((text ?? "").Where(c => c is not ('-' or ' ')).Select(char.ToUpperInvariant).ToArray());
        if (compact.Length != Length)
        {
            error = $"a node ID has {Length} characters besides its dashes (as lan-node id prints it), got {compact.Length}";
            return false;
        }

        if (compact.FirstOrDefault(c => !Alphabet.Contains(c, StringComparison.Ordinal)) is var bad and not '\0')
        {
            error = $"a node ID holds only A-Z and 2-7, not '{(char.IsControl(bad) ? '?' : bad)}'";
            return false;
        }

        for (var block = 0; block < 4; block++)
        {
            var part = compact.AsSpan(block * (BlockLength + 1), BlockLength).ToString();
            if (CheckCharacter(part) != compact[(block * (BlockLength + 1)) + BlockLength])
            {
                error = $"the node ID's check character of group {(block * 2) + 2} does not match: a character is mistyped";
                return false;
            }
        }

        // Base32 of 32 bytes leaves the last character's low bits unused: only one spelling per ID is accepted.
        var fingerprint = FromBase32(string.Concat(Enumerable.Range(0, 4).Select(block => compact.AsSpan(block * (BlockLength + 1), BlockLength).ToString())));
        if (FromFingerprint(fingerprint)._compact != compact)
        {
            error = "the node ID's last group is not one lan-node id prints: a character is mistyped";
            return false;
        }

        id = new NodeId(compact);
        error = "";
        return true;
    }

    /// <summary>Reads an ID, or throws saying what is wrong with it.</summary>
    /// <exception cref="FormatException">The text is not an ID.</exception>
    public static NodeId Parse(string text) =>
        TryParse(text, out var id, out var error) ? id : throw new FormatException(error);

    /// <summary>The eight groups of seven joined by dashes, as people compare it.</summary>
    public override string ToString() =>
        string.Join('-', Enumerable.Range(0, Length / GroupLength).Select(group => _compact.Substring(group * GroupLength, GroupLength)));

    /// <inheritdoc/>
    public bool Equals(NodeId? other) => other is not null && string.Equals(_compact, other._compact, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as NodeId);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_compact);

    // Luhn mod N over base32 code points: catches every single mistyped character and most swaps of neighbours.
    private static char CheckCharacter(string part)
    {
        const int N = 32;
        var factor = 1;
        var sum = 0;
        foreach (var c in part)
        {
            var addend = factor * Alphabet.IndexOf(c, StringComparison.Ordinal);
            factor = factor == 2 ? 1 : 2;
            sum += (addend / N) + (addend % N);
        }

        return Alphabet[(N - (sum % N)) % N];
    }

    private static string ToBase32(ReadOnlySpan<byte> bytes)
    {
        var text = new char[((bytes.Length * 8) + 4) / 5];
        int buffer = 0, bits = 0, at = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text[at++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            text[at] = Alphabet[(buffer << (5 - bits)) & 31];
        }

        return new string(text);
    }

    private static byte[] FromBase32(string text)
    {
        var bytes = new byte[text.Length * 5 / 8];
        int buffer = 0, bits = 0, at = 0;
        foreach (var c in text)
        {
            buffer = (buffer << 5) | Alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8 && at < bytes.Length)
            {
                bytes[at++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }

        return bytes;
    }
}
