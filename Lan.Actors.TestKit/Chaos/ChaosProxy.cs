using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Lan.Actors.TestKit;

/// <summary>
/// An in-process TCP proxy for specs, placed between a client and a server, that injects the faults Toxiproxy
/// offers — latency with jitter, a bandwidth limit, a close now or after N bytes (FIN or reset), a blackhole,
/// slicing — per direction, with a toxicity probability, changeable while connections are open. Every fault
/// counts what it did (<see cref="InjectedFault.Applied"/>, <see cref="InjectedFault.WhenApplied"/>) so a spec
/// can prove the fault happened. It listens on 127.0.0.1 only.
/// </summary>
/// <example>
/// <code>
/// await using var proxy = ChaosProxy.Start(upstream: server.LocalEndPoint, seed: 42);
/// var latency = proxy.Downstream.Add(new LatencyFault(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(10)));
/// client.Connect(proxy.EndPoint);
/// // ... exchange packets ...
/// await latency.WhenApplied().WaitAsync(TimeSpan.FromSeconds(10));
/// </code>
/// </example>
public sealed class ChaosProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, ChaosLink> _links = new();
    private readonly Action<string>? _log;
    private readonly Task _accepting;
    private long _accepted;
    private int _faultIds;
    private int _disposed;

    private ChaosProxy(IPEndPoint upstream, int seed, Action<string>? log)
    {
        Upstream = new ChaosDirection(this, "upstream", 0);
        Downstream = new ChaosDirection(this, "downstream", 1);
        Target = upstream;
        Seed = seed;
        _log = log;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(128);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }

        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        Log($"started: {this}");
        _accepting = AcceptAsync();
    }

    /// <summary>Where clients connect: 127.0.0.1 and a port the system chose.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The server every accepted connection is forwarded to.</summary>
    public IPEndPoint Target { get; }

    /// <summary>The seed every toxicity roll and jitter derives from; print it so a failure can be replayed.</summary>
    public int Seed { get; }

    /// <summary>Faults on the bytes from the client to the server.</summary>
    public ChaosDirection Upstream { get; }

    /// <summary>Faults on the bytes from the server to the client.</summary>
    public ChaosDirection Downstream { get; }

    /// <summary>Connections accepted from clients since the start.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections open now (accepted and not yet closed on both sides).</summary>
    public int Active => _links.Count;

    internal CancellationToken Stopping => _stopping.Token;

    /// <summary>Starts a proxy to <paramref name="upstream"/>, listening on 127.0.0.1.</summary>
    /// <param name="upstream">The server to forward to.</param>
    /// <param name="seed">The seed for toxicity rolls and jitter; null picks one (see <see cref="Seed"/>).</param>
    /// <param name="log">Where to write what the proxy does (e.g. xunit's <c>WriteLine</c>), or null.</param>
    public static ChaosProxy Start(IPEndPoint upstream, int? seed = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return new ChaosProxy(upstream, seed ?? Random.Shared.Next(), log);
    }

    /// <summary>Closes every open connection now, on both sides, without counting it as any fault's doing.</summary>
    /// <returns>How many connections were closed.</returns>
    public int CloseAll(CloseKind kind)
    {
        var closed = _links.Values.Count(link => link.Close(kind, "CloseAll"));
        Log($"CloseAll({kind}) closed {closed} connection(s)");
        return closed;
    }

    /// <summary>Stops listening, closes every connection and waits until all the proxy's work has ended.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _listener.Dispose();
        await _accepting;
        // An orderly end first, so peers read the end of stream; then the drains are cut short.
        foreach (var link in _links.Values)
        {
            link.Close(CloseKind.Fin, "the proxy stopped");
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_links.Values.Select(link => link.Running));
        var stopped = new ObjectDisposedException(nameof(ChaosProxy), $"the proxy stopped: {this}");
        foreach (var fault in Upstream.Faults.Concat(Downstream.Faults))
        {
            fault.Stop(stopped);
        }

        _stopping.Dispose();
        Log($"stopped: {this}");
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"ChaosProxy {EndPoint} -> {Target} (seed {Seed}): accepted {Accepted}, active {Active}; {Upstream}; {Downstream}";

    internal int NextFaultId() => Interlocked.Increment(ref _faultIds);

    internal void OnAdded(InjectedFault fault)
    {
        if (fault.Fault is CloseFault { AfterBytes: 0 })
        {
            // Links in accept order, so that what is logged reads in the order the rolls are defined by.
            foreach (var link in _links.Values.OrderBy(link => link.Id))
            {
                link.CloseIfChosen(fault);
            }
        }
    }

    internal void Log(string line)
    {
        try
        {
            _log?.Invoke(line);
        }
        catch (InvalidOperationException)
        {
            // xunit refuses output once its test has ended; a late log line is no reason to fail a link.
        }
    }

    internal void Forget(ChaosLink link) => _links.TryRemove(link.Id, out _);

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync();
            }
            catch (Exception e) when (Volatile.Read(ref _disposed) == 1 && e is SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // A client that gave up while queued; the listener itself is fine.
                Log($"accept failed: {e.SocketErrorCode}");
                continue;
            }

            // Link ids follow the accept order, so the seed gives each connection the same rolls every run.
            var link = new ChaosLink(this, Interlocked.Increment(ref _accepted), client);
            _links[link.Id] = link;
            link.Start();
        }
    }
}
