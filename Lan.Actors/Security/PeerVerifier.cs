namespace Lan.Actors.Security;

/// <summary>Why a peer is not talked to.</summary>
internal enum PeerVerdict
{
    /// <summary>The peer may be talked to.</summary>
    Trusted,

    /// <summary>Its ID is not in the trust store (<c>pinned</c>), so it is not talked to.</summary>
    Untrusted,

    /// <summary>It showed another ID than the one expected: the one discovery announced, the user named, or a name was pinned to.</summary>
    Mismatch,
}

/// <summary>A verdict with the words a log and a <c>Disconnected</c> carry.</summary>
/// <param name="Verdict">Trusted or why not.</param>
/// <param name="Detail">What was seen and expected, with both fingerprints when they differ.</param>
internal sealed record PeerCheck(PeerVerdict Verdict, string Detail)
{
    /// <summary>True when the peer may be talked to.</summary>
    public bool IsTrusted => Verdict == PeerVerdict.Trusted;
}

/// <summary>
/// Decides, from a node's trust store and policy, whether the ID a peer proved in its TLS handshake may be talked
/// to: first against the ID this side expected (discovery's or the user's), then, once the peer has said its name,
/// against what that name is pinned to. Plain code, so each rule is specified without a socket.
/// </summary>
/// <param name="Identity">This node's identity.</param>
/// <param name="Store">The IDs this node trusts.</param>
/// <param name="Policy">pinned, tofu or any.</param>
internal sealed record PeerVerifier(NodeIdentity Identity, TrustStore Store, TrustPolicy Policy)
{
    /// <summary>The check of the proven <paramref name="presented"/> ID against the <paramref name="expected"/> one (null: none expected).</summary>
    public PeerCheck CheckProven(NodeId presented, NodeId? expected)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (expected is not null && !expected.Equals(presented))
        {
            return new PeerCheck(PeerVerdict.Mismatch, $"expected node {expected}, but the peer proved {presented}");
        }

        if (Policy == TrustPolicy.Pinned && !Store.IsTrusted(presented))
        {
            return new PeerCheck(PeerVerdict.Untrusted, $"node {presented} is not in the trust store (lan.security.trust = pinned); add it with lan-node trust add {presented}, or pair");
        }

        return new PeerCheck(PeerVerdict.Trusted, $"node {presented}");
    }

    /// <summary>
    /// Whether a node announcing <paramref name="name"/> with <paramref name="id"/> may be chosen when a user names it:
    /// under <c>pinned</c> only a trusted ID; under <c>tofu</c> one of the IDs the name is pinned to, or any while it is
    /// pinned to none; under <c>any</c> every one.
    /// </summary>
    public bool MayBeCalled(string name, NodeId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Policy switch
        {
            TrustPolicy.Pinned => Store.IsTrusted(id),
            TrustPolicy.Tofu => Store.IdsNamed(name) is var pinned && (pinned.Count == 0 || pinned.Contains(id)),
            _ => true,
        };
    }

    /// <summary>
    /// The check of the <paramref name="name"/> a peer proven as <paramref name="presented"/> says it has: under <c>tofu</c>
    /// a name pinned to another ID is refused, and with <paramref name="pin"/> a name seen first is pinned to its ID.
    /// Only a node this side chose to reach pins (a server it connected to): a node that accepts connections only checks,
    /// or any host could write a line into its store for every name it makes up.
    /// </summary>
    public PeerCheck CheckName(string name, NodeId presented, bool pin)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (Policy != TrustPolicy.Tofu)
        {
            return new PeerCheck(PeerVerdict.Trusted, $"node {presented}");
        }

        var outcome = pin
            ? Store.PinOnFirstUse(name, presented)
            : Store.IdsNamed(name) is { Count: > 0 } pinned && !pinned.Contains(presented) ? FirstUseOutcome.Changed : FirstUseOutcome.Known;
        return outcome switch
        {
            FirstUseOutcome.Changed => new PeerCheck(
                PeerVerdict.Mismatch,
                $"the name is pinned to node {string.Join(", ", Store.IdsNamed(name))}, but this peer proved {presented}: another machine may be using the name; if the node really has a new key, remove the old ID with lan-node trust remove"),
            _ => new PeerCheck(PeerVerdict.Trusted, $"node {presented}"),
        };
    }
}
