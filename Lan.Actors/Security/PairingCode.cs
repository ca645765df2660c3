using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Lan.Actors.Security;

/// <summary>
/// The six digits two people compare when pairing (numeric comparison, as Bluetooth's and KDE Connect's): derived from
/// both node IDs, as each side proved them in TLS, and from a nonce of each side. The side that connected committed to
/// its nonce (sent its SHA-256) before it saw the other's, so a man in the middle, who holds a different TLS session
/// with each person, cannot choose keys or nonces that make the two screens agree; it has one chance in a million.
/// </summary>
public static class PairingCode
{
    /// <summary>Bytes of each side's nonce.</summary>
    public const int NonceLength = 32;

    /// <summary>A fresh nonce.</summary>
    public static byte[] NewNonce() => RandomNumberGenerator.GetBytes(NonceLength);

    /// <summary>What the connecting side sends first: the SHA-256 of its nonce.</summary>
    public static byte[] Commit(ReadOnlySpan<byte> nonce) => SHA256.HashData(nonce);

    /// <summary>True when <paramref name="nonce"/> is the one <paramref name="commitment"/> committed to.</summary>
    public static bool Opens(ReadOnlySpan<byte> commitment, ReadOnlySpan<byte> nonce) =>
        nonce.Length == NonceLength && CryptographicOperations.FixedTimeEquals(commitment, SHA256.HashData(nonce));

    /// <summary>The code both screens show, "123 456", for the pairing between <paramref name="initiator"/> (it connected) and <paramref name="responder"/>.</summary>
    public static string Derive(NodeId initiator, NodeId responder, ReadOnlySpan<byte> initiatorNonce, ReadOnlySpan<byte> responderNonce)
    {
        ArgumentNullException.ThrowIfNull(initiator);
        ArgumentNullException.ThrowIfNull(responder);
        var input = new List<byte>(Encoding.ASCII.GetBytes("lan-actors pairing v1"));
        input.AddRange(initiator.Fingerprint());
        input.AddRange(responder.Fingerprint());
        input.AddRange(initiatorNonce.ToArray());
        input.AddRange(responderNonce.ToArray());
        var hash = SHA256.HashData([.. input]);
        var number = BinaryPrimitives.ReadUInt32BigEndian(hash) % 1_000_000;
        var digits = number.ToString("D6", CultureInfo.InvariantCulture);
        return $"{digits[..3]} {digits[3..]}";
    }
}
