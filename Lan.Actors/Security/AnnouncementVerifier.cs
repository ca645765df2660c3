using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lan.Actors.Protocol;

namespace Lan.Actors.Security;

/// <summary>What a signed announcement turned out to be.</summary>
internal enum AnnouncementCheck
{
    /// <summary>Signed by the key whose certificate's fingerprint is its ID, and newer than any before it.</summary>
    Valid,

    /// <summary>No certificate, time or signature: a node in open mode, or a seed.</summary>
    Unsigned,

    /// <summary>The certificate is not the ID's, or the signature does not verify: forged or tampered with.</summary>
    Forged,

    /// <summary>Not newer than the last one taken from that ID: a replayed copy.</summary>
    Replayed,

    /// <summary>Its time is further from this node's than <c>lan.security.replay-window</c>: an old copy, or a clock far off.</summary>
    Stale,
}

/// <summary>
/// Checks SERVER_HELLO and SERVER_BYE in TLS mode. A hello carries its certificate: its SHA-256 must be the ID
/// the hello claims, so nobody can announce another node's ID without its key. A bye carries no certificate: it
/// is checked with the key of the hello that made the server known, so a forged bye cannot remove a real server.
/// Each ID's announcements must come newer than the last one taken and within the replay window of this node's clock.
/// Keys are kept for at most <c>maxTracked</c> IDs (the discovery table's bound); one actor uses it, so it needs no lock.
/// </summary>
internal sealed class AnnouncementVerifier(TimeSpan replayWindow, int maxTracked)
{
    private readonly Dictionary<string, Known> _known = new(StringComparer.Ordinal);

    /// <summary>Checks <paramref name="hello"/> at <paramref name="nowUnixMilliseconds"/>; a valid one's key and time are kept.</summary>
    public AnnouncementCheck Check(ServerHello hello, long nowUnixMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(hello);
        if (hello.Cert is null || hello.Ts is not { } ts || hello.Sig is null)
        {
            return AnnouncementCheck.Unsigned;
        }

        // The cheap checks first: a flood of stale or replayed copies costs no signature check.
        if (Math.Abs(nowUnixMilliseconds - ts) > replayWindow.TotalMilliseconds)
        {
            return AnnouncementCheck.Stale;
        }

        if (_known.TryGetValue(hello.Id, out var known) && ts <= known.LastTs)
        {
            return AnnouncementCheck.Replayed;
        }

        var key = known is not null && string.Equals(known.Cert, hello.Cert, StringComparison.Ordinal) ? known.Key : KeyOf(hello);
        if (key is null || !Verifies(key, AnnouncementSignature.Payload(hello), hello.Sig))
        {
            if (known is null || !ReferenceEquals(key, known.Key))
            {
                key?.Dispose();
            }

            return AnnouncementCheck.Forged;
        }

        if (known is null && _known.Count >= maxTracked)
        {
            ForgetOldest();
        }

        if (known is not null && !ReferenceEquals(known.Key, key))
        {
            known.Key.Dispose();
        }

        _known[hello.Id] = new Known(hello.Cert, key, ts);
        return AnnouncementCheck.Valid;
    }

    /// <summary>Checks <paramref name="bye"/> with the key of its server's last valid hello; unknown servers' byes are <see cref="AnnouncementCheck.Forged"/>.</summary>
    public AnnouncementCheck Check(ServerBye bye, long nowUnixMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(bye);
        if (bye.Ts is not { } ts || bye.Sig is null)
        {
            return AnnouncementCheck.Unsigned;
        }

        if (Math.Abs(nowUnixMilliseconds - ts) > replayWindow.TotalMilliseconds)
        {
            return AnnouncementCheck.Stale;
        }

        if (!_known.TryGetValue(bye.Id, out var known) || !Verifies(known.Key, AnnouncementSignature.Payload(bye), bye.Sig))
        {
            return AnnouncementCheck.Forged;
        }

        if (ts <= known.LastTs)
        {
            return AnnouncementCheck.Replayed;
        }

        _known[bye.Id] = known with { LastTs = ts };
        return AnnouncementCheck.Valid;
    }

    /// <summary>IDs whose keys are kept.</summary>
    public int Tracked => _known.Count;

    private static ECDsa? KeyOf(ServerHello hello)
    {
        try
        {
            var der = Convert.FromBase64String(hello.Cert!);
            if (!NodeId.TryParse(hello.Id, out var claimed, out _) || !claimed.Equals(NodeId.FromFingerprint(SHA256.HashData(der))))
            {
                return null;
            }

            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return certificate.GetECDsaPublicKey();
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }

    private static bool Verifies(ECDsa key, byte[] payload, string signature)
    {
        Span<byte> bytes = stackalloc byte[72];
        return Convert.TryFromBase64String(signature, bytes, out var length)
            && key.VerifyData(payload, bytes[..length], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    // The ID heard from longest ago makes room; its next hello is checked afresh.
    private void ForgetOldest()
    {
        var oldest = _known.MinBy(pair => pair.Value.LastTs);
        oldest.Value.Key.Dispose();
        _known.Remove(oldest.Key);
    }

    private sealed record Known(string Cert, ECDsa Key, long LastTs);
}
