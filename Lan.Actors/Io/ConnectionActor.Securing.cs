using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Hocon;
using Lan.Actors.Protocol;
using Lan.Actors.Security;
using Lan.Actors.Metrics;

namespace Lan.Actors.Io;

// TLS mode: between the socket's connection and the first packet, a TLS 1.3 handshake in which both sides present the
// certificate whose fingerprint is their node ID. SslStream does the handshake outside the actor, as the socket's
// reads do; the actor judges the proven ID and only then tells the handler, so no packet of an untrusted peer is read.
internal sealed partial class ConnectionActor
{
    private const string HandshakeTimer = "handshake";

    private void StartSecuring(Socket socket, ConnectionSecurity security)
    {
        Become(Securing);
        Timers.StartSingleTimer(HandshakeTimer, HandshakeTimedOut.Instance, security.HandshakeTimeout);
        _ = SecureAsync(socket, security.Verifier.Identity, IsInbound, Self);
    }

    private void Securing()
    {
        Receive<Secured>(OnSecured);
        Receive<SecuringFailed>(failed =>
        {
            CountHandshakeFailure("failed");
            Fail(DisconnectReason.Dropped, $"the TLS handshake failed: {failed.Error.Message}", failed.Error);
        });
        Receive<HandshakeTimedOut>(_ =>
        {
            CountHandshakeFailure("timeout");
            Fail(
                DisconnectReason.Dropped,
                $"the TLS handshake did not finish within {DurationFormat.Format(_setup.Security!.HandshakeTimeout)} (lan.security.handshake-timeout)",
                new PeerDroppedException("TLS handshake timed out"));
        });
        // Queued until the link is up, as a connecting socket's sends would be.
        Receive<Send>(send => Enqueue(send.Packet, Sender));
        Receive<SendBatch>(send => EnqueueAll(send.Packets, Sender));
        Receive<FlushNow>(_ => _flushScheduled = false);
        Receive<Close>(_ => Context.Stop(Self));
        Receive<CloseAs>(close =>
        {
            _endReason = close.Reason;
            _endDetail = close.Detail;
            Context.Stop(Self);
        });
        Receive<Abort>(_ => AbortNow());
        Receive<GetPeerStats>(_ => Sender.Tell(Stats()));
    }

    private static async Task SecureAsync(Socket socket, NodeIdentity identity, bool inbound, IActorRef self)
    {
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            if (inbound)
            {
                await stream.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = identity.TlsContext,
                    ClientCertificateRequired = true,
                    EnabledSslProtocols = SslProtocols.Tls13,
                    CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                    AllowRenegotiation = false,
                    // The certificate is self-signed by design: the actor checks its fingerprint, never a chain.
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
                }).ConfigureAwait(false);
            }
            else
            {
                await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "lan-actors",
                    ClientCertificateContext = identity.TlsContext,
                    EnabledSslProtocols = SslProtocols.Tls13,
                    CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                    AllowRenegotiation = false,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
                }).ConfigureAwait(false);
            }

            var certificate = stream.RemoteCertificate ?? throw new AuthenticationException("the peer presented no certificate");
            self.Tell(new Secured(stream, NodeId.FromFingerprint(SHA256.HashData(certificate.GetRawCertData()))), ActorRefs.NoSender);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            self.Tell(new SecuringFailed(e), ActorRefs.NoSender);
        }
    }

    private void OnSecured(Secured secured)
    {
        Timers.Cancel(HandshakeTimer);
        var check = _setup.Security!.Verifier.CheckProven(secured.Id, _setup.ExpectedPeer);
        if (!check.IsTrusted)
        {
            CountHandshakeFailure(check.Verdict == PeerVerdict.Untrusted ? "untrusted" : "identity_mismatch");
        }

        if (!check.IsTrusted && IsInbound)
        {
            // The client proved who it is, so it may hear why it is turned away (over TLS): a REJECT it can show its user.
            _link = ByteLink.Tls(secured.Stream, _socket!);
            var reason = check.Verdict == PeerVerdict.Untrusted ? DisconnectReason.UntrustedPeer : DisconnectReason.IdentityMismatch;
            // At INFO: any host may connect as often as the per-address limit lets it, and each refusal is its doing, not news.
            _log.Info("refusing {EndPoint}: {Reason}: {Detail}", _peer!.EndPoint, reason, check.Detail);
            Enqueue(Packet.From(new Reject($"{reason}: this node does not talk to node {secured.Id}; its owner can trust it with: lan-node trust add {secured.Id}")), ActorRefs.NoSender);
            BeginClose(reason, check.Detail);
            return;
        }

        if (!check.IsTrusted)
        {
            secured.Stream.Dispose();
            Refused(check);
            return;
        }

        _proven = secured.Id;
        _peer = _peer! with { Id = secured.Id.ToString() };
        Opened(ByteLink.Tls(secured.Stream, _socket!));
    }

    private static void CountHandshakeFailure(string why) => LanMetrics.HandshakeFailures.Add(1, LanMetrics.Tag(LanMetrics.HandshakeFailureTag, why));

    /// <summary>Ends a connection whose peer is not to be talked to, loudly: a forged announcement or a man in the middle shows here.</summary>
    private void Refused(PeerCheck check)
    {
        _endReason = check.Verdict == PeerVerdict.Untrusted ? DisconnectReason.UntrustedPeer : DisconnectReason.IdentityMismatch;
        _endDetail = check.Detail;
        _log.Warning("refusing {EndPoint}: {Reason}: {Detail}", _peer!.EndPoint, _endReason, check.Detail);
        Context.Stop(Self);
    }

    /// <summary>
    /// The ID and name a peer said in its HELLO or WELCOME, against what it proved: the ID must be the proven one, and
    /// under tofu the name must not be pinned to another. False after closing the connection.
    /// </summary>
    private bool SaidWhatItProved(string saidId, string name)
    {
        if (_proven is null)
        {
            return true;
        }

        var check = !NodeId.TryParse(saidId, out var said, out _) || !said.Equals(_proven)
            ? new PeerCheck(PeerVerdict.Mismatch, $"it said it is node {PeerText.Shortened(saidId)}, but proved {_proven}")
            : _setup.Security!.Verifier.CheckName(name, _proven, pin: !IsInbound);
        if (check.IsTrusted)
        {
            return true;
        }

        var reason = check.Verdict == PeerVerdict.Untrusted ? DisconnectReason.UntrustedPeer : DisconnectReason.IdentityMismatch;
        _log.Warning("refusing {Name} at {EndPoint}: {Reason}: {Detail}", name, _peer!.EndPoint, reason, check.Detail);
        if (IsInbound)
        {
            Enqueue(Packet.From(new Reject($"{reason}: {check.Detail}")), ActorRefs.NoSender);
        }

        BeginClose(reason, check.Detail);
        return false;
    }

    private sealed record Secured(SslStream Stream, NodeId Id) : IDeadLetterSuppression;

    private sealed record SecuringFailed(Exception Error) : IDeadLetterSuppression;

    private sealed record HandshakeTimedOut : IDeadLetterSuppression
    {
        public static HandshakeTimedOut Instance { get; } = new();
    }
}
