using System.Net;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Lan.Actors.Security;
using Lan.Actors.Hocon;
using Lan.Actors.Metrics;

namespace Lan.Actors.Discovery;

// What discovery does with each datagram, and the periodic announcements, hellos and expiry.
internal sealed partial class DiscoveryActor
{
    private void OnDatagram(DatagramReceived datagram)
    {
        _datagramsIn++;
        _bytesIn += datagram.Bytes.Length;
        Packet packet;
        try
        {
            packet = _codec.Decode(datagram.Bytes);
        }
        catch (ProtocolException e)
        {
            _malformed++;
            Dropped("malformed");
            _log.Debug("dropped a malformed datagram from {From}: {Reason}", datagram.From, e.Reason);
            return;
        }

        try
        {
            var handled = packet.Type switch
            {
                PacketTypes.ClientHello when IsServer => OnClientHello(packet.As<ClientHello>(), datagram.From),
                PacketTypes.ServerHello when IsClient => OnServerHello(packet.As<ServerHello>(), datagram.From),
                PacketTypes.ServerBye when IsClient => OnServerBye(packet.As<ServerBye>(), datagram.From),
                _ => false,
            };
            if (!handled)
            {
                _ignored++;
            }
        }
        catch (ProtocolException e)
        {
            // Valid JSON with a TYPE, but fields of the wrong shape: as malformed as a broken datagram.
            _malformed++;
            Dropped("malformed");
            _log.Debug("dropped a {Type} with bad fields from {From}: {Reason}", packet.Type, datagram.From, e.Message);
        }
    }

    private bool OnClientHello(ClientHello hello, IPEndPoint from)
    {
        if (_leaving)
        {
            // The node said SERVER_BYE and is closing: an answer now would bring its clients back to it.
            return false;
        }

        // A node ignores itself; a hello for another app is not for us. The first seed's clients send only TYPE:
        // with no ID there is nothing to recognise as our own, and with no APP it asks every server, so it is answered.
        if (hello.Id == _node.Id || (hello.App is not null && hello.App != _node.App))
        {
            return false;
        }

        if (IsSweep)
        {
            RememberSweeper(from);
        }

        var now = _clock.Now;
        if (!SourceBucket(from).TryTake(now) || !_allSources.TryTake(now))
        {
            _repliesLimited++;
            Dropped("rate_limited");
            return true;
        }

        if (_settings.ReplyUnicast || IsSweep)
        {
            TrySend(ServerHelloPacket(), from);
        }
        else
        {
            BroadcastPacket(ServerHelloPacket());
        }

        return true;
    }

    /// <summary>
    /// Whether the table may take one more server (<c>lan.discovery.max-servers</c>); when full, the server is counted
    /// and left out, and the 1st, 10th, 100th… such server is logged, so a flood of forged hellos floods no log.
    /// </summary>
    private bool HasRoomForAnotherServer(ServerInfo server)
    {
        if (_servers.Count < _settings.MaxServers)
        {
            return true;
        }

        var refused = ++_serversRefused;
        Dropped("table_full");
        if (DecadeLog.IsLogged(refused))
        {
            _log.Warning("the table holds {Max} servers (lan.discovery.max-servers): {Server} at {EndPoint} left out; {Refused} left out so far",
                _settings.MaxServers, server.Id, server.EndPoint, refused);
        }

        return false;
    }

    /// <summary>Publishes a discovery event on the event stream, and tells the owning node, which acts on its own discovery's events only.</summary>
    private static void Dropped(string reason) => LanMetrics.DatagramsDropped.Add(1, LanMetrics.Tag(LanMetrics.DropReasonTag, reason));

    private void Report(object discoveryEvent)
    {
        if (discoveryEvent is ServerFound)
        {
            LanMetrics.ServersKnown.Add(1);
        }
        else if (discoveryEvent is ServerLost)
        {
            LanMetrics.ServersKnown.Add(-1);
        }

        Context.System.EventStream.Publish(discoveryEvent);
        _owner?.Tell(discoveryEvent, Self);
    }

    private TokenBucket SourceBucket(IPEndPoint from)
    {
        if (_perSource.TryGetValue(from.Address, out var bucket))
        {
            return bucket;
        }

        if (_perSource.Count >= MaxTrackedSources)
        {
            // Forget the senders that have been quiet long enough to be full again; a flood of forged sources
            // is then held by the total limit alone.
            var now = _clock.Now;
            foreach (var quiet in _perSource.Where(entry => entry.Value.IsFullAt(now)).Select(entry => entry.Key).ToList())
            {
                _perSource.Remove(quiet);
            }

            if (_perSource.Count >= MaxTrackedSources)
            {
                return _allSources;
            }
        }

        bucket = new TokenBucket(_settings.RepliesPerSource, _settings.RepliesPerSource, _clock.Now);
        _perSource[from.Address] = bucket;
        return bucket;
    }

    private bool OnServerHello(ServerHello hello, IPEndPoint from)
    {
        Require(hello.Id, "ID", PacketTypes.ServerHello);
        Require(hello.Name, "NAME", PacketTypes.ServerHello);
        Require(hello.App, "APP", PacketTypes.ServerHello);
        if (hello.Id == _node.Id || hello.App != _node.App || hello.Port is < 1 or > IPEndPoint.MaxPort)
        {
            return false;
        }

        if (!Authentic(_verifier?.Check(hello, UnixNow), hello.Id, from))
        {
            return true;
        }

        var server = new ServerInfo(
            hello.Id,
            hello.Instance ?? "",
            hello.Name,
            hello.App,
            hello.Version,
            new IPEndPoint(from.Address, hello.Port),
            hello.Meta ?? new Dictionary<string, string>());
        var now = _clock.Now;
        if (!_servers.TryGetValue(hello.Id, out var known))
        {
            if (!HasRoomForAnotherServer(server))
            {
                return true;
            }

            _servers[hello.Id] = new Known(server, now, Heard: true, Listed: false);
            Report(new ServerFound(server));
            return true;
        }

        // What broadcast hears is the server as it is on this network: it wins over what the registry lists.
        _servers[hello.Id] = known with { Server = server, LastHeard = now, Heard = true };
        var restarted = known.Server.Instance != server.Instance;
        if (restarted || !known.Server.EndPoint.Equals(server.EndPoint) || !SameMeta(known.Server.Meta, server.Meta) || known.Server.Name != server.Name)
        {
            Report(new ServerUpdated(server, restarted));
        }

        return true;
    }

    private bool OnServerBye(ServerBye bye, IPEndPoint from)
    {
        Require(bye.Id, "ID", PacketTypes.ServerBye);
        if (!_servers.ContainsKey(bye.Id))
        {
            return false;
        }

        // A forged goodbye must not remove a real server: it is checked with the key that server's hello proved.
        if (!Authentic(_verifier?.Check(bye, UnixNow), bye.Id, from) || !_servers.Remove(bye.Id, out var known))
        {
            return true;
        }

        // The registry may list it a moment longer: that instance is not found again.
        RememberBye(known.Server.Instance);

        Report(new ServerLost(known.Server, ServerLostReason.Bye));
        return true;
    }

    private void AnnounceNow()
    {
        if (_leaving)
        {
            return;
        }

        if (IsServer)
        {
            BroadcastPacket(ServerHelloPacket());
        }

        // A client keeps asking while it knows no server: its first hello may have gone before any server listened.
        if (IsClient && _servers.Count == 0)
        {
            Ask();
        }
    }

    private void Ask() => BroadcastPacket(Packet.From(new ClientHello(_node.Id, _node.Name, _node.App)));

    private void ExpireSilentServers()
    {
        var now = _clock.Now;
        foreach (var (id, known) in _servers.ToList())
        {
            // Stryker disable once Equality : timing: > or >= on a millisecond clock; DiscoverySpec pins the expiry
            if (known.Heard && now - known.LastHeard >= ExpireAfter.TotalMilliseconds)
            {
                // Broadcast no longer hears it; it stays while the registry still lists it.
                if (known.Listed)
                {
                    _servers[id] = known with { Heard = false };
                    continue;
                }

                _servers.Remove(id);
                Report(new ServerLost(known.Server, ServerLostReason.Expired));
            }
        }
    }

    private Packet ServerHelloPacket()
    {
        var hello = new ServerHello(_node.Id, _node.Name, _node.App, _tcpPort, PacketTypes.ProtocolVersion, _meta.Count == 0 ? null : _meta, _instance);
        return Packet.From(_security is null ? hello : AnnouncementSignature.Sign(hello, _security.Identity, NextSignedTime()));
    }

    /// <summary>
    /// The time for the next signed announcement: now, or a millisecond after the last one. Listeners take only an
    /// announcement newer than the last they took from an ID, so two signed in one millisecond (answers to several
    /// askers at once) would have the second dropped as a replay.
    /// </summary>
    private long NextSignedTime() => _lastSignedAt = Math.Max(UnixNow, _lastSignedAt + 1);

    private static long UnixNow => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>
    /// True for an announcement this node takes: any in open mode (<paramref name="check"/> null), a valid one in TLS mode.
    /// What is refused is counted by why, and the 1st, 10th, 100th… of each kind logged, so a flood floods no log.
    /// </summary>
    private bool Authentic(AnnouncementCheck? check, string id, IPEndPoint from)
    {
        switch (check)
        {
            case null or AnnouncementCheck.Valid:
                return true;
            case AnnouncementCheck.Unsigned:
                Dropped("unsigned");
                Refused(++_unsigned, "unsigned (a node in open mode, or a seed: this node is in tls mode)", id, from);
                return false;
            case AnnouncementCheck.Forged:
                Dropped("forged");
                Refused(++_forged, "forged: its signature or certificate is not the ID's", id, from);
                return false;
            default:
                Dropped("replayed");
                Refused(++_replayed, check == AnnouncementCheck.Stale
                    ? $"outside lan.security.replay-window of this node's clock ({DurationFormat.Format(_security!.ReplayWindow)}): a replayed copy, or a clock far off"
                    : "a replayed copy: no newer than the last one taken", id, from);
                return false;
        }
    }

    private void Refused(long count, string why, string id, IPEndPoint from)
    {
        if (DecadeLog.IsLogged(count))
        {
            _log.Warning("dropped an announcement for node {Id} from {From}: {Why}; {Count} such so far", PeerText.ForDisplay(id), from, why, count);
        }
    }

    // Source-generated JSON leaves a missing string field null, whatever the record says.
    private static void Require(string? value, string field, string type)
    {
        if (value is null)
        {
            throw new ProtocolException(ProtocolError.InvalidJson, $"{type} without {field}");
        }
    }

    private static bool SameMeta(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(entry => b.TryGetValue(entry.Key, out var value) && value == entry.Value);
}
