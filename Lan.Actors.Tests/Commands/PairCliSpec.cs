using Lan.Actors.Hocon;
using Lan.Actors.Security;
using Lan.Actors.TestKit;
using Lan.Node.Commands;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Commands;

/// <summary>
/// <c>lan-node pair</c> on two nodes that find each other by discovery: both show the same code, and only when both
/// people say yes does each trust store gain the other; a no on either side leaves both stores as they were.
/// </summary>
[Collection(ProcessLoggingCollection.Name)]
public sealed class PairCliSpec : LanTestKit, IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _root = Directory.CreateTempSubdirectory("lan-node-pair-").FullName;

    public PairCliSpec(ITestOutputHelper output)
        : base("lan.discovery { announce-interval = 200ms }", output) => _output = output;

    public new void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        base.Dispose();
    }

    private string Folder(string name) => Path.Combine(_root, name);

    private HoconConfig Config(string name) => LanTestConfiguration.Build($$"""
        lan.discovery { port = {{LanConfig.GetInt("lan.discovery.port")}}, announce-interval = 200ms }
        lan.tcp { port = 0, close-timeout = 300ms }
        lan.security { mode = tls, trust = pinned }
        lan.node { name = {{name}}, identity-dir = "{{Folder(name)}}" }
        """);

    private TrustStore Store(string name) => TrustStore.Open(Path.Combine(Folder(name), TrustStore.FileName));

    private NodeId Id(string name)
    {
        using var identity = NodeIdentity.LoadOrCreate(Folder(name));
        return identity.Id;
    }

    private async Task<(int Ana, int Bob, Lines AnaSaw, Lines BobSaw)> PairAsync(string anaSays, string bobSays)
    {
        var (anaSaw, bobSaw) = (new Lines(), new Lines());
        var ana = PairCommand.RunAsync(Config("ana"), new StringReader(anaSays), anaSaw, new Lines(), TimeSpan.FromSeconds(30), CancellationToken.None);
        var bob = PairCommand.RunAsync(Config("bob"), new StringReader(bobSays), bobSaw, new Lines(), TimeSpan.FromSeconds(30), CancellationToken.None);
        var exits = await Task.WhenAll(ana, bob);
        _output.WriteLine($"{anaSaw}\n--\n{bobSaw}");
        return (exits[0], exits[1], anaSaw, bobSaw);
    }

    private static string Code(Lines saw) => saw.All.Single(line => line.StartsWith("pairing with", StringComparison.Ordinal)).Split("code ")[1];

    [Fact]
    public async Task TwoNodes_ShowTheSameCode_AndWhenBothSayYes_EachTrustsTheOther()
    {
        var (ana, bob, anaSaw, bobSaw) = await PairAsync("y\n", "y\n");

        Assert.Equal((0, 0), (ana, bob));
        Assert.Matches("^[0-9]{3} [0-9]{3}$", Code(anaSaw));
        Assert.Equal(Code(anaSaw), Code(bobSaw));
        Assert.Contains($"pairing with bob [{Id("bob").Short}]: code {Code(anaSaw)}", anaSaw.All);
        Assert.Equal([new TrustedPeer(Id("bob"), "bob", TrustOrigin.Paired)], Store("ana").Peers);
        Assert.Equal([new TrustedPeer(Id("ana"), "ana", TrustOrigin.Paired)], Store("bob").Peers);
    }

    [Theory]
    [InlineData("y\n", "n\n")]
    [InlineData("n\n", "y\n")]
    [InlineData("", "y\n")]
    public async Task ANoOnEitherSide_OrNoAnswer_LeavesBothStoresUnchanged(string anaSays, string bobSays)
    {
        var (ana, bob, _, _) = await PairAsync(anaSays, bobSays);

        Assert.Equal((1, 1), (ana, bob));
        Assert.Empty(Store("ana").Peers);
        Assert.Empty(Store("bob").Peers);
    }

    [Fact]
    public void APairingCode_IsTheOneComputedApartFromThisCode()
    {
        // Python: SHA-256("lan-actors pairing v1" + both fingerprints + both nonces), first 4 bytes big-endian mod 1,000,000.
        var initiator = NodeId.FromFingerprint(System.Security.Cryptography.SHA256.HashData("initiator"u8));
        var responder = NodeId.FromFingerprint(System.Security.Cryptography.SHA256.HashData("responder"u8));
        var code = PairingCode.Derive(initiator, responder, [.. Enumerable.Range(0, 32).Select(i => (byte)i)], [.. Enumerable.Range(32, 32).Select(i => (byte)i)]);
        Assert.Equal("774 041", code);
        Assert.Throws<ArgumentNullException>(() => PairingCode.Derive(null!, responder, [], []));
        Assert.Throws<ArgumentNullException>(() => PairingCode.Derive(initiator, null!, [], []));
    }

    [Fact]
    public void PairingCodes_DependOnBothIdsAndBothNonces()
    {
        var (a, b) = (NodeIdentity.CreateEphemeral().Id, NodeIdentity.CreateEphemeral().Id);
        var (na, nb) = (PairingCode.NewNonce(), PairingCode.NewNonce());
        var code = PairingCode.Derive(a, b, na, nb);
        Assert.Equal(code, PairingCode.Derive(a, b, na, nb));
        Assert.NotEqual(code, PairingCode.Derive(NodeIdentity.CreateEphemeral().Id, b, na, nb));
        Assert.NotEqual(code, PairingCode.Derive(a, b, PairingCode.NewNonce(), nb));
        Assert.True(PairingCode.Opens(PairingCode.Commit(na), na));
        Assert.False(PairingCode.Opens(PairingCode.Commit(na), nb));
    }
}
