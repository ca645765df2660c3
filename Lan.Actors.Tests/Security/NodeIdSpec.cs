using System.Security.Cryptography;
using Lan.Actors.Security;

namespace Lan.Actors.Tests.Security;

/// <summary>The written form of a node ID: what people read aloud, type and compare.</summary>
public sealed class NodeIdSpec
{
    private static NodeId Sample(byte seed) => NodeId.FromFingerprint(SHA256.HashData(new[] { seed }));

    [Fact]
    public void AnId_IsEightGroupsOfSeven_AndItsShortFormIsTheFirstGroup()
    {
        var id = Sample(1).ToString();
        Assert.Matches("^([A-Z2-7]{7}-){7}[A-Z2-7]{7}$", id);
        Assert.Equal(id[..7], Sample(1).Short);
    }

    [Fact]
    public void AnId_ReadsBackAsTyped_InAnyCase_WithOrWithoutDashesAndSpaces_ToTheSameFingerprint()
    {
        var fingerprint = SHA256.HashData("node"u8);
        var id = NodeId.FromFingerprint(fingerprint);
        foreach (var typed in new[] { id.ToString(), id.ToString().ToLowerInvariant(), id.ToString().Replace("-", "", StringComparison.Ordinal), id.ToString().Replace('-', ' ') })
        {
            Assert.Equal(id, NodeId.Parse(typed));
        }

        Assert.Equal(fingerprint, id.Fingerprint());
    }

    [Fact]
    public void EverySingleMistypedCharacter_FailsACheck_InsteadOfNamingAnotherNode()
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var compact = Sample(7).ToString().Replace("-", "", StringComparison.Ordinal);
        var accepted = 0;
        for (var at = 0; at < compact.Length; at++)
        {
            foreach (var other in Alphabet.Where(c => c != compact[at]))
            {
                var typo = string.Concat(compact.AsSpan(0, at), other.ToString(), compact.AsSpan(at + 1));
                accepted += NodeId.TryParse(typo, out _, out _) ? 1 : 0;
            }
        }

        Assert.Equal(0, accepted);
    }

    [Theory]
    [InlineData("", "has 56 characters")]
    [InlineData("ABCDEFG-HIJKLMN", "has 56 characters")]
    [InlineData("ABCDEFG-HIJKLMN-OPQRSTU-VWXYZ23-4567ABC-DEFGHIJ-KLMNOPQ-RSTUV01", "only A-Z and 2-7, not '0'")]
    public void Garbage_IsRefused_SayingWhatIsWrong(string typed, string said)
    {
        Assert.False(NodeId.TryParse(typed, out _, out var error));
        Assert.Contains(said, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => NodeId.Parse(typed));
    }

    [Fact]
    public void TwoIds_AreEqual_ExactlyWhenTheirFingerprintsAre()
    {
        Assert.Equal(Sample(3), Sample(3));
        Assert.Equal(Sample(3).GetHashCode(), Sample(3).GetHashCode());
        Assert.NotEqual(Sample(3), Sample(4));
        Assert.False(Sample(3).Equals(null));
    }

    [Fact]
    public void ASyncthingDeviceId_ReadsBackToItsFingerprint_ForTheWrittenFormIsTheSame()
    {
        // From Syncthing's own tests of its device IDs: an independent check of the base32, the blocks and the Luhn characters.
        var id = NodeId.Parse("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2");
        Assert.Equal("7f7c8723ecca5b4d22061c4981b34c34d865ec376be1eb74330873c9a6f9b205", Convert.ToHexString(id.Fingerprint()).ToLowerInvariant());
        Assert.Equal("P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2", id.ToString());
        Assert.Equal("P56IOI7", id.Short);
    }

    [Fact]
    public void AKnownFingerprint_IsWrittenAsPythonsBase32AndTheLuhnCharactersMakeIt()
    {
        // Computed apart from this code, with Python's base64.b32encode and the Luhn mod 32 rule.
        Assert.Equal("AIYJ6FO-F7GFJYM-P2BPPTR-VRWLPXN-KMKDYFL-DEE72TI-2GC2QOI-JBZCTQQ", NodeId.FromFingerprint(SHA256.HashData("lan-actors"u8)).ToString());
    }

    [Fact]
    public void AMistypeInEachGroupPair_NamesTheGroupWhoseCheckFailed()
    {
        var compact = NodeId.FromFingerprint(SHA256.HashData("lan-actors"u8)).ToString().Replace("-", "", StringComparison.Ordinal);
        for (var block = 0; block < 4; block++)
        {
            var at = block * 14;
            var typo = string.Concat(compact.AsSpan(0, at), compact[at] == 'A' ? "B" : "A", compact.AsSpan(at + 1));
            Assert.False(NodeId.TryParse(typo, out _, out var error));
            Assert.Equal($"the node ID's check character of group {(block * 2) + 2} does not match: a character is mistyped", error);
        }

        Assert.True(NodeId.TryParse(compact, out _, out var none));
        Assert.Equal("", none);
        Assert.Contains("not '?'", Assert.Throws<FormatException>(() => NodeId.Parse(compact[..55] + "\u0007")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFingerprintOfAnotherLength_IsRefused()
    {
        Assert.Equal("a fingerprint is 32 bytes, got 20 (Parameter 'sha256')", Assert.Throws<ArgumentException>(() => NodeId.FromFingerprint(new byte[20])).Message);
        Assert.Throws<ArgumentNullException>(() => NodeId.Of(null!));
    }
}
