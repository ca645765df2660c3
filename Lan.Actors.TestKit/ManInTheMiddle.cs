using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Lan.Actors.Security;

namespace Lan.Actors.TestKit;

/// <summary>
/// A man in the middle for specs of TLS mode: it listens on 127.0.0.1, ends each client's TLS with a certificate of
/// its own, opens its own TLS to the real server with the same certificate, and relays the plaintext between them,
/// keeping a copy. Placed where a forged announcement or a poisoned address would send a client, it shows that a node
/// expecting the server's ID refuses the connection (<c>IdentityMismatch</c>) before a single packet crosses, and
/// <see cref="PlaintextSeen"/> stays 0.
/// </summary>
public sealed class ManInTheMiddle : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly NodeIdentity _identity;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentBag<Task> _relays = [];
    private readonly Task _accepting;
    private long _intercepted;
    private long _plaintext;
    private long _relaying;

    private ManInTheMiddle(IPEndPoint target, NodeIdentity identity)
    {
        _target = target;
        _identity = identity;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _accepting = AcceptAsync();
    }

    /// <summary>Where victims connect.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The ID of the certificate the man in the middle shows both sides.</summary>
    public NodeId Id => _identity.Id;

    /// <summary>Connections whose client finished the TLS handshake with the man in the middle.</summary>
    public long Intercepted => Interlocked.Read(ref _intercepted);

    /// <summary>Plaintext bytes the man in the middle read from either side: what it could have stolen or changed.</summary>
    public long PlaintextSeen => Interlocked.Read(ref _plaintext);

    /// <summary>Victims' connections it still holds, with its own leg to the server if it got one: 0 once every relay has ended.</summary>
    public long Relaying => Interlocked.Read(ref _relaying);

    /// <summary>Starts a man in the middle in front of <paramref name="target"/>, with a new identity unless one is given.</summary>
    public static ManInTheMiddle Start(IPEndPoint target, NodeIdentity? identity = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new ManInTheMiddle(target, identity ?? NodeIdentity.CreateEphemeral());
    }

    /// <summary>Stops listening and ends every relay.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        await Task.WhenAll(_relays);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket victim;
            try
            {
                victim = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            Interlocked.Increment(ref _relaying);
            _relays.Add(RelayAsync(victim));
        }
    }

    private async Task RelayAsync(Socket victim)
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await using var toVictim = new SslStream(new NetworkStream(victim, ownsSocket: true));
        SslStream? toServer = null;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            await toVictim.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = _identity.Certificate,
                    ClientCertificateRequired = true,
                    EnabledSslProtocols = SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
                },
                deadline.Token);
            Interlocked.Increment(ref _intercepted);
            await upstream.ConnectAsync(_target, deadline.Token);
            toServer = new SslStream(new NetworkStream(upstream, ownsSocket: false));
            await toServer.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = "lan-actors",
                    ClientCertificates = [_identity.Certificate],
                    EnabledSslProtocols = SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
                },
                deadline.Token);
            await Task.WhenAny(PumpAsync(toVictim, toServer), PumpAsync(toServer, toVictim));
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The victim saw through it, or went away: either way this relay is over.
        }
        finally
        {
            if (toServer is not null)
            {
                await toServer.DisposeAsync();
            }

            Interlocked.Decrement(ref _relaying);
        }
    }

    private async Task PumpAsync(Stream from, Stream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stopping.Token)) > 0)
            {
                Interlocked.Add(ref _plaintext, read);
                await to.WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // One side went away.
        }
    }
}
