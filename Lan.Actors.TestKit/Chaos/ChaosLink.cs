using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Lan.Actors.TestKit;

/// <summary>
/// One client connection through the proxy and its connection to the server: two <see cref="ChaosPipe"/>s, one
/// per direction, and the one place that closes both sockets.
/// </summary>
internal sealed class ChaosLink
{
    // After an orderly close the proxy keeps reading (so its close does not turn into a reset) until both peers
    // close too, but not longer than this.
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(2);

    private readonly ChaosProxy _proxy;
    private readonly Socket _client;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _draining;
    private readonly CancellationTokenSource _forwarding;
    private readonly ConcurrentDictionary<int, bool> _choices = new();
    private Socket? _server;
    private bool _closing;
    private bool _finished;

    public ChaosLink(ChaosProxy proxy, long id, Socket client)
    {
        _proxy = proxy;
        Id = id;
        _client = client;
        _draining = CancellationTokenSource.CreateLinkedTokenSource(proxy.Stopping);
        _forwarding = CancellationTokenSource.CreateLinkedTokenSource(_draining.Token);
    }

    /// <summary>The link's number in accept order, from 1.</summary>
    public long Id { get; }

    public ChaosProxy Proxy => _proxy;

    /// <summary>The link's whole life; ends after both sockets are disposed.</summary>
    public Task Running { get; private set; } = Task.CompletedTask;

    /// <summary>Cancelled when bytes must no longer cross the link (it is closing).</summary>
    public CancellationToken Forwarding => _forwarding.Token;

    /// <summary>Cancelled when the proxy must stop reading the link's sockets.</summary>
    public CancellationToken Draining => _draining.Token;

    public bool IsClosing
    {
        get
        {
            lock (_gate)
            {
                return _closing;
            }
        }
    }

    public void Start() => Running = Task.Run(RunAsync);

    /// <summary>Whether this link is among those the fault's toxicity chose; rolled once per link and fault.</summary>
    public bool Chooses(InjectedFault fault)
    {
        if (_choices.TryGetValue(fault.Id, out var chosen))
        {
            return chosen;
        }

        chosen = ChaosDice.Chooses(_proxy.Seed, Id, fault.Id, fault.Fault.Toxicity);
        if (_choices.TryAdd(fault.Id, chosen))
        {
            fault.CountChoice(chosen);
        }

        return chosen;
    }

    /// <summary>Applies a close-at-once fault to this link if its roll says so.</summary>
    public void CloseIfChosen(InjectedFault fault)
    {
        if (fault.Fault is CloseFault close && Chooses(fault) && Close(close.Kind, $"{fault.Direction.Name} #{fault.Id} {close}"))
        {
            fault.CountApplied(1);
        }
    }

    /// <summary>Closes both sockets the given way, once; false when the link was already closing or gone.</summary>
    public bool Close(CloseKind kind, string why)
    {
        lock (_gate)
        {
            if (_closing || _finished)
            {
                return false;
            }

            _closing = true;
            // Tokens are cancelled last: a cancellation may run the link's own end inline, which disposes them.
            if (kind == CloseKind.Reset)
            {
                Abort(_client);
                Abort(_server);
                _draining.Cancel();
            }
            else
            {
                ShutdownSend(_client);
                ShutdownSend(_server);
                _draining.CancelAfter(DrainLimit);
                _forwarding.Cancel();
            }
        }

        _proxy.Log($"link {Id}: closed with {kind}: {why}");
        return true;
    }

    /// <summary>Sends the end of stream to one peer, as the orderly end of one direction.</summary>
    public void EndDirection(Socket target, string direction)
    {
        lock (_gate)
        {
            if (!_closing && !_finished)
            {
                ShutdownSend(target);
            }
        }

        _proxy.Log($"link {Id}: {direction} ended; passed the end of stream on");
    }

    private async Task RunAsync()
    {
        try
        {
            _client.NoDelay = true;
            var server = new Socket(_proxy.Target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            lock (_gate)
            {
                // Set before connecting, so that a close during the connect reaches this socket too.
                _server = server;
            }

            try
            {
                await server.ConnectAsync(_proxy.Target, Forwarding);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                Close(CloseKind.Reset, $"could not reach {_proxy.Target}: {e.Message}");
                return;
            }

            _proxy.Log($"link {Id}: open, {_client.RemoteEndPoint} via {server.LocalEndPoint} to {_proxy.Target}");
            // A close-at-once fault acts on a new link before any byte crosses it.
            foreach (var fault in _proxy.Upstream.Faults.Concat(_proxy.Downstream.Faults).Where(f => f.Fault is CloseFault { AfterBytes: 0 }))
            {
                CloseIfChosen(fault);
            }

            var upstream = new ChaosPipe(this, _proxy.Upstream, _client, server);
            var downstream = new ChaosPipe(this, _proxy.Downstream, server, _client);
            // Never inline: the last pipe may end inside a Close, which must not see this link disposed under it.
            await Task.WhenAll(upstream.RunAsync(), downstream.RunAsync()).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }
        catch (SocketException e)
        {
            // The client reset before the link was set up.
            _proxy.Log($"link {Id}: {e.Message}");
        }
        catch (Exception e)
        {
            // Pipes handle their own socket errors; anything else is a bug of the proxy, shown rather than lost.
            _proxy.Log($"link {Id}: failed: {e}");
        }
        finally
        {
            lock (_gate)
            {
                _finished = true;
                _client.Dispose();
                _server?.Dispose();
                _forwarding.Dispose();
                _draining.Dispose();
            }

            _proxy.Log($"link {Id}: gone");
            _proxy.Forget(this);
        }
    }

    private static void ShutdownSend(Socket? socket)
    {
        try
        {
            socket?.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Not connected yet, or already reset by its peer: there is nothing left to end.
        }
    }

    private static void Abort(Socket? socket)
    {
        if (socket is null)
        {
            return;
        }

        try
        {
            // Linger on with a zero timeout makes the close send RST instead of FIN.
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // A socket already gone needs no reset.
        }

        socket.Dispose();
    }
}
