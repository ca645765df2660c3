using Akka.Actor;
using Akka.Event;
using Lan.Actors.Protocol;

namespace Lan.Actors.Io;

// The connection-level packets: PING/PONG, the peer's DISCONNECT, and the HELLO / WELCOME / REJECT handshake.
internal sealed partial class ConnectionActor
{
    /// <summary>The longest NAME or ID a peer may say it has in HELLO or WELCOME.</summary>
    private const int MaxPeerTextLength = 128;

    // The most of a peer's DISCONNECT or REJECT reason kept: it becomes Disconnected.Detail, a log line, a page row.
    private const int MaxReasonLength = 256;

    /// <summary>True for the packets the connection answers itself; the handler never sees them.</summary>
    private bool Consumed(Packet packet)
    {
        var first = !_firstPacketSeen;
        _firstPacketSeen = true;
        switch (packet.Type)
        {
            case PacketTypes.Ping:
                Enqueue(PongPacket, ActorRefs.NoSender);
                return true;
            case PacketTypes.Pong:
                return true;
            case PacketTypes.Disconnect:
                PeerSaidDisconnect(packet);
                return true;
            case PacketTypes.Hello when IsInbound && !_helloSeen && (first || _setup.Tcp.RequireHello):
                _helloSeen = true;
                Handshake(packet);
                return true;
            case PacketTypes.Welcome when !IsInbound:
                var welcome = packet.As<Welcome>();
                if (TooLong(welcome.Id, welcome.Name) is { } tooLong)
                {
                    Fail(DisconnectReason.ProtocolError, $"a WELCOME with {tooLong}", new ProtocolException(ProtocolError.InvalidJson, $"a WELCOME with {tooLong}"));
                    return true;
                }

                if (!SaidWhatItProved(welcome.Id, welcome.Name))
                {
                    return true;
                }

                _log.Info("{EndPoint} is {Name} (node {Id})", _peer!.EndPoint, welcome.Name, welcome.Id);
                _peer = _peer with { Id = welcome.Id, Name = welcome.Name };
                _setup.Handler.Tell(new Identified(Self, _peer), Self);
                return true;
            case PacketTypes.Reject when !IsInbound:
                _endReason = DisconnectReason.Rejected;
                _endDetail = $"the server refused the handshake: {PeerText.Shortened(packet.As<Reject>().Reason, MaxReasonLength)}";
                Context.Stop(Self);
                return true;
        }

        // Not only the first packet: a PING first must not open a way around the handshake.
        if (IsInbound && _setup.Tcp.RequireHello && !_helloSeen)
        {
            RejectPeer($"this node requires HELLO as the first packet (lan.tcp.require-hello = on), got {packet.Type}");
            return true;
        }

        return false;
    }

    private void PeerSaidDisconnect(Packet packet)
    {
        var said = packet.As<Disconnect>().Reason is { } reason ? PeerText.Shortened(reason, MaxReasonLength) : null;
        var detail = string.IsNullOrEmpty(said) ? "the peer said DISCONNECT" : $"the peer said DISCONNECT: {said}";
        if (IsInbound)
        {
            _endReason = DisconnectReason.Requested;
            _endDetail = detail;
            Context.Stop(Self);
        }
        else
        {
            Fail(DisconnectReason.ServerClosed, detail, new ServerClosedException(detail));
        }
    }

    private void Handshake(Packet packet)
    {
        Hello hello;
        try
        {
            hello = packet.As<Hello>();
        }
        catch (ProtocolException e)
        {
            RejectPeer($"a malformed HELLO: {e.Message}");
            return;
        }

        var node = _setup.Node;
        if (!string.Equals(hello.App, node.App, StringComparison.Ordinal))
        {
            // The peer chose its APP: quoted only in part, so a huge one cannot swell the REJECT, the DISCONNECT or the log.
            RejectPeer($"this node serves app \"{node.App}\", not \"{PeerText.Shortened(hello.App)}\"");
            return;
        }

        if (TooLong(hello.Id, hello.Name) is { } tooLong)
        {
            RejectPeer($"a HELLO with {tooLong}");
            return;
        }

        if (!SaidWhatItProved(hello.Id, hello.Name))
        {
            return;
        }

        _log.Info("{Peer} at {EndPoint} is {Name} (node {Id})", _peer!.Name, _peer.EndPoint, hello.Name, hello.Id);
        _peer = _peer with { Id = hello.Id, Name = hello.Name };
        Context.Parent.Tell(new PeerIdentified(_peer));
        Enqueue(Packet.From(new Welcome(node.Id, node.Name)), ActorRefs.NoSender);
        _setup.Handler.Tell(new Identified(Self, _peer), Self);
    }

    // A peer's NAME and ID travel on with it (PeerInfo, every Identified, logs, the web page's tables): a peer may not
    // make each of them a megabyte. Ours are at most 64 characters; twice that leaves room for other implementations.
    private static string? TooLong(string id, string name) =>
        id.Length > MaxPeerTextLength ? $"an ID of {id.Length} characters (at most {MaxPeerTextLength})"
        : name.Length > MaxPeerTextLength ? $"a NAME of {name.Length} characters (at most {MaxPeerTextLength})"
        : null;

    private void RejectPeer(string reason)
    {
        _log.Info("rejecting {EndPoint}: {Reason}", _peer!.EndPoint, reason);
        Enqueue(Packet.From(new Reject(reason)), ActorRefs.NoSender);
        BeginClose(DisconnectReason.Rejected, reason);
    }
}
