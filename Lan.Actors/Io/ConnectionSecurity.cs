using Lan.Actors.Security;

namespace Lan.Actors.Io;

/// <summary>What a connection needs in TLS mode: its node's identity and judge of peers, and how long a handshake may take.</summary>
/// <param name="Verifier">This node's identity, trust store and policy.</param>
/// <param name="HandshakeTimeout">A handshake not finished by then drops the connection (<c>lan.security.handshake-timeout</c>).</param>
internal sealed record ConnectionSecurity(PeerVerifier Verifier, TimeSpan HandshakeTimeout);
