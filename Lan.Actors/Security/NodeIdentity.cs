using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lan.Actors.Security;

/// <summary>
/// Who a node is: an ECDSA P-256 key and a self-signed certificate for it, whose fingerprint is the node's
/// <see cref="NodeId"/>. P-256 rather than Ed25519 because .NET's own cryptography has no Ed25519, and P-256
/// works in TLS 1.3 on every platform .NET runs on; a signature is 64 bytes, small enough for a datagram.
/// The certificate's self-signature adds no trust: it only lets the key ride in standard TLS, where each
/// side checks the other's fingerprint, never a certificate authority.
/// </summary>
public sealed class NodeIdentity : IDisposable
{
    /// <summary>The certificate's file name in an identity folder.</summary>
    public const string CertificateFile = "cert.pem";

    /// <summary>The private key's file name in an identity folder (PKCS#8 PEM, readable by the owner only).</summary>
    public const string KeyFile = "key.pem";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnly | UnixFileMode.UserExecute;
    private readonly ECDsa _key;
    private SslStreamCertificateContext? _tlsContext;

    private NodeIdentity(X509Certificate2 certificate, string? folder)
    {
        Certificate = certificate;
        Folder = folder;
        Id = NodeId.Of(certificate);
        _key = certificate.GetECDsaPrivateKey() ?? throw new CryptographicException("the identity's certificate has no ECDSA private key");
    }

    /// <summary>The certificate with its private key, presented in every TLS handshake.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The fingerprint of <see cref="Certificate"/>.</summary>
    public NodeId Id { get; }

    /// <summary>The folder the identity lives in; null for one held in memory only.</summary>
    public string? Folder { get; }

    /// <summary>What SslStream presents: built once, so a handshake does not build the chain again.</summary>
    internal SslStreamCertificateContext TlsContext =>
        _tlsContext ??= SslStreamCertificateContext.Create(Certificate, additionalCertificates: null, offline: true);

    /// <summary>
    /// The identity kept in <paramref name="folder"/>, created there at first use (the folder, <see cref="CertificateFile"/>
    /// and <see cref="KeyFile"/>, readable by the owner only).
    /// </summary>
    /// <exception cref="IdentityException">One file is there without the other, a file is unreadable or broken, or the key is readable by others.</exception>
    public static NodeIdentity LoadOrCreate(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var certificatePath = Path.Combine(folder, CertificateFile);
        var keyPath = Path.Combine(folder, KeyFile);
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            return Load(folder, certificatePath, keyPath);
        }

        // Two nodes of one name may start at once: one creates, the other waits and loads what it wrote.
        using var creating = Lock(folder);
        var hasCertificate = File.Exists(certificatePath);
        var hasKey = File.Exists(keyPath);
        if (hasCertificate != hasKey)
        {
            throw new IdentityException(
                $"the identity in {folder} is incomplete: {(hasCertificate ? KeyFile : CertificateFile)} is missing; restore it from a backup, or delete {(hasCertificate ? CertificateFile : KeyFile)} to create a new identity (a new ID: peers must trust it again)");
        }

        return hasCertificate ? Load(folder, certificatePath, keyPath) : Create(folder, certificatePath, keyPath);
    }

    // An exclusive open of a lock file is a lock between processes on every platform .NET runs on.
    private static FileStream Lock(string folder)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, OwnerOnlyFolder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IdentityException($"could not create the identity folder {folder}: {e.Message}; set lan.node.identity-dir to a folder this user may write", e);
        }

        var path = Path.Combine(folder, ".lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 500)
            {
                // Creating a key takes milliseconds; five seconds of waiting means the holder is stuck.
                Thread.Sleep(10);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IdentityException($"could not lock {path} to create the node's identity: {e.Message}; is another lan-node stuck starting?", e);
            }
        }
    }

    /// <summary>A new identity held in memory only: for specs, test kits and one-off tools.</summary>
    public static NodeIdentity CreateEphemeral() => new(NewCertificate(), folder: null);

    /// <summary>Signs <paramref name="data"/> with the node's key (SHA-256, IEEE P1363: 64 bytes).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <inheritdoc/>
    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    private static NodeIdentity Create(string folder, string certificatePath, string keyPath)
    {
        try
        {
            var certificate = NewCertificate();
            using var key = certificate.GetECDsaPrivateKey()!;
            // The key first: a crash between the two leaves a key without a certificate, which the next start reports.
            WriteOwnerOnly(keyPath, key.ExportPkcs8PrivateKeyPem());
            WriteOwnerOnly(certificatePath, certificate.ExportCertificatePem());
            return new NodeIdentity(certificate, folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IdentityException($"could not create the node's identity in {folder}: {e.Message}; set lan.node.identity-dir to a folder this user may write", e);
        }
    }

    private static NodeIdentity Load(string folder, string certificatePath, string keyPath)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(keyPath) & ~(OwnerOnly | UnixFileMode.UserExecute)) != 0)
        {
            // As ssh refuses a private key others can read: whoever reads it can be this node.
            throw new IdentityException($"{keyPath} is readable by other users; run chmod 600 {keyPath} (and check who read it: if in doubt, create a new identity)");
        }

        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return new NodeIdentity(certificate, folder);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new IdentityException($"could not read the node's identity in {folder}: {e.Message}", e);
        }
    }

    private static X509Certificate2 NewCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=lan-actors", key, HashAlgorithmName.SHA256);
        // The dates are not checked (the fingerprint is): a long validity only keeps other tools from complaining.
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(100));
    }

    // Written beside its place and renamed into it: a node of the same name starting at that moment checks for both
    // files without the lock, and must find each one whole or not at all (it read a certificate half written once).
    private static void WriteOwnerOnly(string path, string text)
    {
        var partial = $"{path}.{Guid.NewGuid():N}.partial";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using (var writer = new StreamWriter(partial, System.Text.Encoding.ASCII, options))
            {
                writer.Write(text);
            }

            File.Move(partial, path, overwrite: false);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
