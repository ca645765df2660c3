using System.Security.Cryptography;
using Lan.Actors.Protocol;
using Lan.Actors.Security;

namespace Lan.Actors.Tests.Security;

/// <summary>The bytes an announcement's signature covers (docs/PROTOCOL.md, "Signed discovery"), and the verifier's edges.</summary>
public sealed class AnnouncementSignatureSpec
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [Fact]
    public void TheSignedBytes_AreTheDocumentedFieldList_MetaInKeyOrder()
    {
        // Built apart from this code (Python's struct.pack(">i") before each field's UTF-8), for META {b: 2, a: 1}.
        var hello = new ServerHello("ID1", "bob", "lan", 4000, 1, new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }, "inst") { Cert = "CERT", Ts = 5 };
        Assert.Equal("3a9d779cd234b05597832194b70b911d8a6ceb15558c01df10da7d344c304d24", Convert.ToHexString(SHA256.HashData(AnnouncementSignature.Payload(hello))).ToLowerInvariant());
        Assert.Equal("0000000a5345525645525f425945000000034944310000000137", Convert.ToHexString(AnnouncementSignature.Payload(new ServerBye("ID1") { Ts = 7 })).ToLowerInvariant());
    }

    [Fact]
    public void AHelloAtTheEdgeOfTheReplayWindow_IsTaken_AndOneMillisecondBeyond_IsNot()
    {
        using var bob = NodeIdentity.CreateEphemeral();
        var window = TimeSpan.FromSeconds(30);
        var now = Now;
        var atEdge = AnnouncementSignature.Sign(new ServerHello(bob.Id.ToString(), "bob", "lan", 4000), bob, now - 30_000);
        var beyond = AnnouncementSignature.Sign(new ServerHello(bob.Id.ToString(), "bob", "lan", 4000), bob, now - 30_001);
        Assert.Equal(AnnouncementCheck.Stale, new AnnouncementVerifier(window, 4).Check(beyond, now));
        Assert.Equal(AnnouncementCheck.Valid, new AnnouncementVerifier(window, 4).Check(atEdge, now));
        var bye = AnnouncementSignature.Sign(new ServerBye(bob.Id.ToString()), bob, now + 30_001);
        var verifier = new AnnouncementVerifier(window, 4);
        verifier.Check(AnnouncementSignature.Sign(new ServerHello(bob.Id.ToString(), "bob", "lan", 4000), bob, now), now);
        Assert.Equal(AnnouncementCheck.Stale, verifier.Check(bye, now));
        Assert.Equal(AnnouncementCheck.Replayed, verifier.Check(AnnouncementSignature.Sign(new ServerBye(bob.Id.ToString()), bob, now), now));
        Assert.Equal(AnnouncementCheck.Valid, verifier.Check(AnnouncementSignature.Sign(new ServerBye(bob.Id.ToString()), bob, now + 1), now));
    }

    [Fact]
    public void PastItsBound_TheVerifierForgetsTheIdHeardFromLongestAgo_AndChecksItAfreshNextTime()
    {
        var nodes = Enumerable.Range(0, 3).Select(_ => NodeIdentity.CreateEphemeral()).ToList();
        var verifier = new AnnouncementVerifier(TimeSpan.FromSeconds(30), 2);
        var now = Now;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(AnnouncementCheck.Valid, verifier.Check(AnnouncementSignature.Sign(new ServerHello(nodes[i].Id.ToString(), $"n{i}", "lan", 4000), nodes[i], now + i), now));
        }

        Assert.Equal(2, verifier.Tracked);
        // The first node was forgotten: its old hello is taken again (checked afresh), the others' are replays.
        Assert.Equal(AnnouncementCheck.Valid, verifier.Check(AnnouncementSignature.Sign(new ServerHello(nodes[0].Id.ToString(), "n0", "lan", 4000), nodes[0], now), now));
        Assert.Equal(AnnouncementCheck.Replayed, verifier.Check(AnnouncementSignature.Sign(new ServerHello(nodes[2].Id.ToString(), "n2", "lan", 4000), nodes[2], now + 2), now));
        // A forgotten node's bye cannot be checked: no key is kept for it.
        Assert.Equal(AnnouncementCheck.Forged, verifier.Check(AnnouncementSignature.Sign(new ServerBye(nodes[1].Id.ToString()), nodes[1], now + 5), now));
    }

    [Fact]
    public void AHelloWhoseCertificateIsNotBase64OrNotACertificate_IsForged()
    {
        using var bob = NodeIdentity.CreateEphemeral();
        var signed = AnnouncementSignature.Sign(new ServerHello(bob.Id.ToString(), "bob", "lan", 4000), bob, Now);
        var verifier = new AnnouncementVerifier(TimeSpan.FromSeconds(30), 4);
        Assert.Equal(AnnouncementCheck.Forged, verifier.Check(signed with { Cert = "%%%" }, Now));
        Assert.Equal(AnnouncementCheck.Forged, verifier.Check(signed with { Cert = Convert.ToBase64String(new byte[40]), Id = NodeId.FromFingerprint(SHA256.HashData(new byte[40])).ToString() }, Now));
        Assert.Equal(AnnouncementCheck.Valid, verifier.Check(signed, Now));
    }
}
