using Lan.Actors.Hocon;

namespace Lan.Actors.Security;

/// <summary><c>lan.security.mode</c>: whether connections are TLS or the seeds' plaintext.</summary>
public enum SecurityMode
{
    /// <summary>TLS 1.3 with both certificates checked against node IDs; discovery signed.</summary>
    Tls,

    /// <summary>The seeds' plaintext JSON and unsigned discovery: anyone on the network can read and be anyone.</summary>
    Open,
}

/// <summary><c>lan.security.trust</c>: which peers a node in TLS mode talks to.</summary>
public enum TrustPolicy
{
    /// <summary>Only the IDs in the trust store.</summary>
    Pinned,

    /// <summary>The ID a name first showed is pinned; a later change is refused loudly, as ssh's known_hosts.</summary>
    Tofu,

    /// <summary>Any ID: encrypted, but not authenticated.</summary>
    Any,
}

/// <summary>The security of a node (<c>lan.security</c>, and <c>lan.node.identity-dir</c>).</summary>
/// <param name="Mode">TLS or open.</param>
/// <param name="Trust">Which peers are talked to in TLS mode.</param>
/// <param name="IdentityDir">The identity folder as configured; empty for the default under the user's local application data.</param>
/// <param name="HandshakeTimeout">How long a TLS handshake may take before the connection is dropped.</param>
/// <param name="ReplayWindow">How far a signed datagram's time may be from this node's clock and still be taken.</param>
public sealed record SecuritySettings(SecurityMode Mode, TrustPolicy Trust, string IdentityDir, TimeSpan HandshakeTimeout, TimeSpan ReplayWindow)
{
    /// <summary>The root key these settings are read from.</summary>
    public const string RootKey = "lan.security";

    /// <summary>The key of the identity folder.</summary>
    public const string IdentityDirKey = "lan.node.identity-dir";

    /// <summary>The value of <c>lan.node.identity-dir</c> that gives a node a new identity, held in memory, at every start.</summary>
    public const string Ephemeral = "ephemeral";

    /// <summary>The seeds' plaintext: what specs of the wire format and seed-compatible peers use.</summary>
    public static SecuritySettings Open { get; } = new(SecurityMode.Open, TrustPolicy.Any, "", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));

    /// <summary>reference.conf's defaults: TLS, trust on first use, the identity under the user's local application data.</summary>
    public static SecuritySettings Default { get; } = new(SecurityMode.Tls, TrustPolicy.Tofu, "", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));

    /// <summary>The identity to use instead of one from <see cref="IdentityDir"/> (a spec's or an embedding application's).</summary>
    public NodeIdentity? Identity { get; init; }

    /// <summary>The trust store to use instead of the one beside the identity.</summary>
    public TrustStore? TrustStore { get; init; }

    /// <summary>True when <c>lan.node.identity-dir = ephemeral</c>: a new identity at every start, with a trust store in memory.</summary>
    public bool IsEphemeral => string.Equals(IdentityDir, Ephemeral, StringComparison.Ordinal);

    /// <summary>
    /// These settings with the identity and trust store of the node named <paramref name="nodeName"/> loaded (or created):
    /// the given ones, a new one in memory when ephemeral, or the files in <see cref="IdentityFolderFor"/>.
    /// </summary>
    /// <exception cref="IdentityException">The identity or the trust store cannot be read or created; the message says what to do.</exception>
    public SecuritySettings WithIdentityOf(string nodeName)
    {
        if (Identity is not null && TrustStore is not null)
        {
            return this;
        }

        var identity = Identity ?? (IsEphemeral ? NodeIdentity.CreateEphemeral() : NodeIdentity.LoadOrCreate(IdentityFolderFor(nodeName)));
        var store = TrustStore ?? (identity.Folder is { } folder ? TrustStore.Open(Path.Combine(folder, TrustStore.FileName)) : TrustStore.InMemory());
        return this with { Identity = identity, TrustStore = store };
    }

    /// <summary>
    /// The folder of the node named <paramref name="nodeName"/>: the configured one, or
    /// <c>lan-actors/nodes/NAME</c> under the user's local application data, so each node name on a machine has an
    /// identity (and an ID) of its own, and two nodes of one user (a receiver and a sender) do not share one.
    /// </summary>
    /// <exception cref="IdentityException">The identity is ephemeral: it has no folder.</exception>
    public string IdentityFolderFor(string nodeName)
    {
        ArgumentNullException.ThrowIfNull(nodeName);
        if (IsEphemeral)
        {
            throw new IdentityException($"{IdentityDirKey} = {Ephemeral}: this node has a new identity at every start, kept in no folder");
        }

        if (IdentityDir.Length > 0)
        {
            return IdentityDir;
        }

        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (root.Length == 0)
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        var safe = new string(nodeName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()).TrimStart('.');
        return Path.Combine(root, "lan-actors", "nodes", safe.Length == 0 ? "node" : safe);
    }

    /// <summary>Reads <c>lan.security</c> and <c>lan.node.identity-dir</c>.</summary>
    /// <exception cref="ConfigException">A value is not one of those listed, or a duration is not positive.</exception>
    public static SecuritySettings FromConfig(HoconConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var read = new SettingsReader(config, RootKey);
        var mode = read.String("mode") switch
        {
            "tls" => SecurityMode.Tls,
            "open" => SecurityMode.Open,
            var other => throw read.Invalid("mode", $"expected tls or open, got \"{other}\""),
        };
        var trust = read.String("trust") switch
        {
            "pinned" => TrustPolicy.Pinned,
            "tofu" => TrustPolicy.Tofu,
            "any" => TrustPolicy.Any,
            var other => throw read.Invalid("trust", $"expected pinned, tofu or any, got \"{other}\""),
        };
        var node = new SettingsReader(config, "lan.node");
        return new SecuritySettings(mode, trust, node.String("identity-dir"), read.PositiveDuration("handshake-timeout"), read.PositiveDuration("replay-window"));
    }
}
