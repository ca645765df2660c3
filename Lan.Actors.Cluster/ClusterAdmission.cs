using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Lan.Actors.Security;

namespace Lan.Actors.Cluster;

/// <summary>
/// Which nodes may hold an Akka remoting connection with this one (TLS mode): those that announced themselves, signed,
/// as nodes of this cluster and passed the trust policy, and under <c>pinned</c> every trusted ID. Akka.Remote's TLS asks
/// <see cref="Validate"/> about the certificate each side presents; a self-signed certificate has no chain to judge, so
/// its fingerprint, the node ID, is the whole question, as on the LAN connections.
/// </summary>
/// <param name="verifier">This node's identity, trust store and policy.</param>
/// <param name="cluster">The cluster's name, for the log.</param>
/// <param name="capacity">
/// The most IDs admitted (discovery's table bound). When it is full, a node discovery no longer sees and that is no
/// member makes room for a new one: otherwise a host that once announced that many keys would keep every later node
/// out for as long as this node runs.
/// </param>
internal sealed class ClusterAdmission(PeerVerifier verifier, string cluster, int capacity)
{
    private readonly ConcurrentDictionary<NodeId, byte> _admitted = new();
    private long _refused;
    private long _acceptedOutbound;
    private long _evicted;

    /// <summary>This node's identity.</summary>
    public NodeIdentity Identity => verifier.Identity;

    /// <summary>Connections refused so far.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Outbound connections accepted under tofu from a node discovery had not yet reported.</summary>
    public long AcceptedOutbound => Interlocked.Read(ref _acceptedOutbound);

    /// <summary>The most IDs admitted at once.</summary>
    public int Capacity => capacity;

    /// <summary>Whether <paramref name="id"/> is in the table of admitted nodes (not counting this node or the trust store).</summary>
    public bool Holds(NodeId id) => _admitted.ContainsKey(id);

    /// <summary>Admitted nodes forgotten to make room for new ones.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>
    /// Whether a node that announced <paramref name="name"/> with the proven <paramref name="id"/> may be a member; if so
    /// it is admitted. With the table full, the first admitted node that <paramref name="mayMakeRoom"/> says may go (out
    /// of sight, and no member) is forgotten for it. One caller at a time (the join decider); <see cref="Validate"/> may
    /// run meanwhile on remoting's threads.
    /// </summary>
    public bool Admit(string name, NodeId id, Func<NodeId, bool>? mayMakeRoom = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!verifier.MayBeCalled(name, id))
        {
            return false;
        }

        if (_admitted.ContainsKey(id))
        {
            return true;
        }

        if (_admitted.Count >= capacity && mayMakeRoom is not null
            && _admitted.Keys.FirstOrDefault(mayMakeRoom) is { } gone && _admitted.TryRemove(gone, out _))
        {
            Interlocked.Increment(ref _evicted);
        }

        return _admitted.Count < capacity && _admitted.TryAdd(id, 0);
    }

    /// <summary>Whether the node <paramref name="id"/> may hold a remoting connection.</summary>
    public bool IsAdmitted(NodeId id) =>
        id.Equals(verifier.Identity.Id) || _admitted.ContainsKey(id) || (verifier.Policy == TrustPolicy.Pinned && verifier.Store.IsTrusted(id));

    /// <summary>Akka.Remote's certificate check, for both directions.</summary>
    public bool Validate(X509Certificate? certificate, X509Chain? chain, string? remotePeer, SslPolicyErrors errors, ILoggingAdapter? log)
    {
        if (certificate is null)
        {
            // Any host can try at will: the 1st, 10th, 100th… refusal is logged, with the count.
            if (DecadeLog.IsLogged(Interlocked.Increment(ref _refused)))
            {
                log?.Warning("refused an Akka remoting connection from {0}: it presented no certificate ({1} refused so far)", PeerText.ForDisplay(remotePeer), Refused);
            }

            return false;
        }

        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var id = NodeId.Of(presented);
        if (IsAdmitted(id))
        {
            return true;
        }

        // This node's own connection out, under tofu. Akka connects only to addresses it was given (a member's gossip, a
        // seed the join decider chose from discovery), and since Akka.Remote 1.5.50 a refused outbound handshake shuts
        // this whole ActorSystem down. Gossip can name a member a moment before discovery reports it (seen in formation
        // specs: a node joined, was told of two more members, and terminated); under tofu that member would be admitted
        // a moment later anyway. Under pinned the trusted IDs are admitted already, so nothing waits on discovery there.
        if (verifier.Policy == TrustPolicy.Tofu && IsOutbound(remotePeer))
        {
            Interlocked.Increment(ref _acceptedOutbound);
            return true;
        }

        if (DecadeLog.IsLogged(Interlocked.Increment(ref _refused)))
        {
            log?.Warning(
                "refused an Akka remoting connection from {0}: node {1} has not announced itself as a node of cluster {2} that this node may trust (lan.security.trust = {3}; {4} refused so far)",
                PeerText.ForDisplay(remotePeer), id, cluster, verifier.Policy.ToString().ToLowerInvariant(), Refused);
        }

        return false;
    }

    // Akka.Remote names the peer of a connection it opened by the Akka address it dialled ("ssl.tcp://lan-node@10.0.0.5:40123")
    // and that of an accepted one by its socket endpoint ("[::ffff:10.0.0.6]:51234").
    internal static bool IsOutbound(string? remotePeer) =>
        remotePeer is not null && remotePeer.Contains("://", StringComparison.Ordinal) && remotePeer.Contains('@', StringComparison.Ordinal);
}
