using System.Runtime.Versioning;
using System.Security.Cryptography;
using Lan.Actors.Security;
using Lan.Actors.Tests.Filer;

namespace Lan.Actors.Tests.Security;

/// <summary>The IDs a node trusts, in a file beside its identity, shared with the <c>lan-node trust</c> commands.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class TrustStoreSpec : IDisposable
{
    private readonly TempFolder _temp = new("trust");

    private string File => Path.Combine(_temp.Path, TrustStore.FileName);

    private static NodeId Id(string seed) => NodeId.FromFingerprint(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Added_Listed_Removed_AndKeptInTheFile_ForTheNextStart()
    {
        var store = TrustStore.Open(File);
        Assert.True(store.Add(Id("bob"), "bob", TrustOrigin.Added));
        Assert.False(store.Add(Id("bob"), "bob", TrustOrigin.Added));
        store.Add(Id("ana"), "ana laptop", TrustOrigin.Paired);

        var again = TrustStore.Open(File);
        Assert.Equal([new TrustedPeer(Id("bob"), "bob", TrustOrigin.Added), new TrustedPeer(Id("ana"), "ana laptop", TrustOrigin.Paired)], again.Peers);
        Assert.Equal([Id("bob")], again.Remove("bob").Select(peer => peer.Id));
        Assert.Equal([Id("ana")], again.Remove(Id("ana").ToString().ToLowerInvariant()).Select(peer => peer.Id));
        Assert.Empty(TrustStore.Open(File).Peers);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(File));
    }

    [Fact]
    public void AChangeByAnotherProcess_IsSeenAtTheNextLookUp()
    {
        var running = TrustStore.Open(File);
        Assert.False(running.IsTrusted(Id("bob")));
        TrustStore.Open(File).Add(Id("bob"), "bob", TrustOrigin.Added);
        Assert.True(running.IsTrusted(Id("bob")));
    }

    [Fact]
    public void TrustOnFirstUse_PinsANewName_KnowsItsId_AndRefusesAnotherIdForIt()
    {
        var store = TrustStore.InMemory();
        Assert.Equal(FirstUseOutcome.Pinned, store.PinOnFirstUse("bob", Id("bob")));
        Assert.Equal(FirstUseOutcome.Known, store.PinOnFirstUse("bob", Id("bob")));
        Assert.Equal(FirstUseOutcome.Changed, store.PinOnFirstUse("bob", Id("mallory")));
        Assert.Equal([Id("bob")], store.IdsNamed("bob"));
        Assert.Equal(TrustOrigin.FirstUse, store.Find(Id("bob"))!.Origin);
    }

    [Fact]
    public void AChosenNameWithControlCharacters_IsPinnedWithoutThem()
    {
        var store = TrustStore.Open(File);
        store.PinOnFirstUse("bo\u001b[2Jb\nx", Id("bob"));
        Assert.Equal("bo[2Jbx", TrustStore.Open(File).Find(Id("bob"))!.Alias);
    }

    [Fact]
    public void ALineThatIsNoTrustedNode_IsRefused_WithItsFileAndLine()
    {
        System.IO.File.WriteAllText(File, $"# comment\n{Id("bob")}\tAdded\tbob\nnonsense\n");
        var error = Assert.Throws<IdentityException>(() => TrustStore.Open(File));
        Assert.Contains($"{File}:3: not a trusted node", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANewAliasForTheFirstTrustedId_ReplacesItsEntry_AndALineWithoutAlias_ReadsAsNoAlias()
    {
        var store = TrustStore.Open(File);
        store.Add(Id("bob"), "bob", TrustOrigin.Added);
        store.Add(Id("ana"), "ana", TrustOrigin.Added);
        Assert.True(store.Add(Id("bob"), "robert", TrustOrigin.Paired));
        Assert.Equal([new TrustedPeer(Id("bob"), "robert", TrustOrigin.Paired), new TrustedPeer(Id("ana"), "ana", TrustOrigin.Added)], TrustStore.Open(File).Peers);
        Assert.Empty(store.Remove("nobody"));

        System.IO.File.WriteAllText(File, $"{Id("cid")}\tAdded\n");
        Assert.Equal([new TrustedPeer(Id("cid"), "", TrustOrigin.Added)], TrustStore.Open(File).Peers);
    }

    [Fact]
    public void AnAliasOfSixtyFourCharacters_IsKept_AndAChosenNameLonger_IsCutThere()
    {
        var store = TrustStore.InMemory();
        Assert.True(store.Add(Id("bob"), new string('b', 64), TrustOrigin.Added));
        Assert.Equal(new string('x', 64), TrustStore.ToAlias(new string('x', 70)));
        Assert.Equal(new string('x', 64), TrustStore.ToAlias(new string('x', 64)));
        Assert.Throws<ArgumentException>(() => TrustStore.Open(""));
    }

    [Fact]
    public void AnAliasWithControlCharacters_IsRefusedWhenAdded()
    {
        Assert.Throws<ArgumentException>(() => TrustStore.InMemory().Add(Id("bob"), "bob\tx", TrustOrigin.Added));
        Assert.Throws<ArgumentException>(() => TrustStore.InMemory().Add(Id("bob"), new string('b', 65), TrustOrigin.Added));
    }
}
