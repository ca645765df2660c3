using System.Security.Cryptography.X509Certificates;
using System.Runtime.Versioning;
using Lan.Actors.Security;
using Lan.Actors.Tests.Filer;

namespace Lan.Actors.Tests.Security;

/// <summary>A node's key and certificate on disk: created once, owner-only, read back as the same ID.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class NodeIdentitySpec : IDisposable
{
    private readonly TempFolder _temp = new("identity");

    private string Folder => Path.Combine(_temp.Path, "node");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TheFirstStart_CreatesAKeyAndCertificate_ReadableByTheOwnerOnly_AndTheIdIsTheCertificatesFingerprint()
    {
        using var identity = NodeIdentity.LoadOrCreate(Folder);
        Assert.Equal(NodeId.Of(identity.Certificate), identity.Id);
        Assert.Equal("CN=lan-actors", identity.Certificate.Subject);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Folder, NodeIdentity.KeyFile)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Folder, NodeIdentity.CertificateFile)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Folder));
    }

    [Fact]
    public void ALaterStart_ReadsTheSameIdentity()
    {
        NodeId first;
        using (var identity = NodeIdentity.LoadOrCreate(Folder))
        {
            first = identity.Id;
        }

        using var again = NodeIdentity.LoadOrCreate(Folder);
        Assert.Equal(first, again.Id);
        Assert.True(again.Certificate.HasPrivateKey);
    }

    [Fact]
    public async Task EightNodesOfOneNameStartingAtOnce_ShareOneIdentity_InsteadOfFailingOrOverwriting()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            using var identity = NodeIdentity.LoadOrCreate(Folder);
            return identity.Id;
        })));
        Assert.Single(ids.Distinct());
    }

    [Fact]
    public void AKeyOthersCanRead_IsRefused_AsSshRefusesOne_SayingHowToFixIt()
    {
        NodeIdentity.LoadOrCreate(Folder).Dispose();
        var key = Path.Combine(Folder, NodeIdentity.KeyFile);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var error = Assert.Throws<IdentityException>(() => NodeIdentity.LoadOrCreate(Folder));
        Assert.Contains("readable by other users; run chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIdentityMissingOneFile_IsRefused_NotReplacedByANewOneSilently()
    {
        NodeIdentity.LoadOrCreate(Folder).Dispose();
        File.Delete(Path.Combine(Folder, NodeIdentity.KeyFile));
        var error = Assert.Throws<IdentityException>(() => NodeIdentity.LoadOrCreate(Folder));
        Assert.Contains("key.pem is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("delete cert.pem to create a new identity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABrokenCertificate_IsRefused_NamingTheFolder()
    {
        NodeIdentity.LoadOrCreate(Folder).Dispose();
        File.WriteAllText(Path.Combine(Folder, NodeIdentity.CertificateFile), "not a certificate");
        var error = Assert.Throws<IdentityException>(() => NodeIdentity.LoadOrCreate(Folder));
        Assert.Contains($"could not read the node's identity in {Folder}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASignature_IsSixtyFourBytes_AndVerifiesWithTheCertificatesKeyOnly()
    {
        using var identity = NodeIdentity.CreateEphemeral();
        using var other = NodeIdentity.CreateEphemeral();
        var signature = identity.Sign("SERVER_HELLO"u8);
        Assert.Equal(64, signature.Length);
        using var key = identity.Certificate.GetECDsaPublicKey()!;
        using var otherKey = other.Certificate.GetECDsaPublicKey()!;
        const System.Security.Cryptography.DSASignatureFormat Format = System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation;
        Assert.True(key.VerifyData("SERVER_HELLO"u8, signature, System.Security.Cryptography.HashAlgorithmName.SHA256, Format));
        Assert.False(otherKey.VerifyData("SERVER_HELLO"u8, signature, System.Security.Cryptography.HashAlgorithmName.SHA256, Format));
        Assert.Null(identity.Folder);
    }
}
