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
    public void AFingerprintOfAnotherLength_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => NodeId.FromFingerprint(new byte[20]));
    }
}
