using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Lan.Actors.Protocol;

namespace Lan.Actors.Discovery;

// Seed-compatible sweep mode: a server binds a random UDP port in lan.discovery.sweep's range, and a client
// sends CLIENT_HELLO to every port of the range, paced by probes-per-second, round after round.
internal sealed partial class DiscoveryActor
{
    private const string SweepTimer = "sweep";
    private const int MaxRecentSweepers = 256;
    private static readonly TimeSpan SweepTick = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a server may stay silent: in sweep mode a server is heard once per round at best.</summary>
    private TimeSpan ExpireAfter
    {
        get
        {
            if (!IsSweep)
            {
                return _settings.ExpireAfter;
            }

            var sweep = _settings.Sweep;
            // Stryker disable once all : timing: how long a swept server may stay silent before it expires
            var round = TimeSpan.FromSeconds((sweep.PortRangeEnd - sweep.PortRangeStart + 1) / (double)sweep.ProbesPerSecond);
            // Stryker disable once all : timing: how long a swept server may stay silent before it expires
            return TimeSpan.FromTicks(Math.Max(_settings.ExpireAfter.Ticks, (2 * round + TimeSpan.FromSeconds(1)).Ticks));
        }
    }

    private void StartSweepMode(IReadOnlyList<IPAddress> targets)
    {
        if (IsServer)
        {
            _shared = BindRandomPortInRange();
        }

        if (IsClient)
        {
            _sweepTargets = targets;
            _nextPort = _settings.Sweep.PortRangeStart;
            _sweepHello = _codec.Encode(Packet.From(new ClientHello(_node.Id, _node.Name, _node.App)));
            Timers.StartPeriodicTimer(SweepTimer, SweepNext.Instance, TimeSpan.Zero, SweepTick);
        }
    }

    private Socket BindRandomPortInRange()
    {
        var sweep = _settings.Sweep;
        var random = Random.Shared;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(_settings.BindAddress, random.Next(sweep.PortRangeStart, sweep.PortRangeEnd + 1)));
                return socket;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                socket.Dispose();
            }
        }

        throw new SocketException((int)SocketError.AddressAlreadyInUse);
    }

    private void SweepSomePorts()
    {
        var sweep = _settings.Sweep;
        var probes = Math.Max(1, (int)(sweep.ProbesPerSecond * SweepTick.TotalSeconds));
        for (var i = 0; i < probes; i++)
        {
            foreach (var target in _sweepTargets)
            {
                try
                {
                    _own!.SendTo(_sweepHello.Span, SocketFlags.None, new IPEndPoint(target, _nextPort));
                    _datagramsOut++;
                    _bytesOut += _sweepHello.Length;
                }
                catch (SocketException)
                {
                    // One probe lost; the next round sends it again.
                }
            }

            _nextPort = _nextPort >= sweep.PortRangeEnd ? sweep.PortRangeStart : _nextPort + 1;
        }
    }

    private void RememberSweeper(IPEndPoint from)
    {
        if (_recentSweepers.Count >= MaxRecentSweepers && !_recentSweepers.Contains(from))
        {
            _recentSweepers.Remove(_recentSweepers.First());
        }

        _recentSweepers.Add(from);
    }

    private sealed record SweepNext
    {
        public static SweepNext Instance { get; } = new();
    }
}
