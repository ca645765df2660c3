using Akka.Actor;
using Lan.Actors.Protocol;
using Lan.Actors.Metrics;

namespace Lan.Actors.Io;

// Handing what the reader decoded to the handler: one Received per packet, or one ReceivedBatch per read.
internal sealed partial class ConnectionActor
{
    private void OnPacketsRead(PacketsRead read)
    {
        var before = _packetsIn;
        var forHandler = _setup.BatchDelivery ? DeliverAsBatch(read.Packets) : DeliverEach(read.Packets);
        // Once per read, not per packet: a pipelining peer sends dozens in one read.
        LanMetrics.Packets.Add(_packetsIn - before, LanMetrics.Receive);
        if (_endReason is not null)
        {
            return;
        }

        if (_setup.PullMode && forHandler)
        {
            // The handler has this batch and asks for the next with ResumeReading; until then the socket is not read.
            _heldPackets = read.Packets.Count;
        }
        else
        {
            _reader!.Delivered(read.Packets.Count);
        }
    }

    /// <summary>Tells the handler one <see cref="Received"/> per packet; true when any was for it.</summary>
    private bool DeliverEach(List<Packet> packets)
    {
        var forHandler = false;
        foreach (var packet in packets)
        {
            // What follows the end (the peer's DISCONNECT, a REJECT either way) is not for the handler; what came
            // before it is, so each packet is handed over as it is read: a peer's last packets and its DISCONNECT
            // often arrive in one read, and a client's end is thrown from within this loop.
            if (_endReason is not null)
            {
                break;
            }

            _packetsIn++;
            if (!Consumed(packet))
            {
                _setup.Handler.Tell(new Received(Self, packet), Self);
                forHandler = true;
            }
        }

        return forHandler;
    }

    /// <summary>
    /// Tells the handler one <see cref="ReceivedBatch"/> with the packets of a read that are its own, in order; true when
    /// there were any. One message per read instead of one per packet is the point: a pipelining peer sends dozens per read.
    /// </summary>
    private bool DeliverAsBatch(List<Packet> packets)
    {
        if (_firstPacketSeen && !packets.Exists(packet => IsConnectionLevel(packet.Type)))
        {
            // The usual read: every packet is the handler's, and the reader's list is handed over as it is.
            _packetsIn += packets.Count;
            _setup.Handler.Tell(new ReceivedBatch(Self, packets), Self);
            return true;
        }

        var delivered = false;
        var pending = new List<Packet>(packets.Count);
        try
        {
            foreach (var packet in packets)
            {
                if (_endReason is not null)
                {
                    break;
                }

                _packetsIn++;
                if (_firstPacketSeen && !IsConnectionLevel(packet.Type))
                {
                    pending.Add(packet);
                    continue;
                }

                // What came before a connection-level packet reaches the handler first: HELLO and WELCOME tell it Identified,
                // and a DISCONNECT ends the connection (a client's with a throw) after the handler has its last packets.
                delivered |= DeliverPending(ref pending);
                if (!Consumed(packet))
                {
                    pending.Add(packet);
                }
            }
        }
        finally
        {
            delivered |= DeliverPending(ref pending);
        }

        return delivered;
    }

    /// <summary>The types <see cref="Consumed"/> may take: a batch is cut before them to keep the handler's order of events.</summary>
    // Asked of every packet of every read: the length sorts out almost all of them before any comparison.
    private static bool IsConnectionLevel(string type) => type.Length switch
    {
        4 => type is PacketTypes.Ping or PacketTypes.Pong,
        5 => type == PacketTypes.Hello,
        6 => type == PacketTypes.Reject,
        7 => type == PacketTypes.Welcome,
        10 => type == PacketTypes.Disconnect,
        _ => false,
    };

    private bool DeliverPending(ref List<Packet> pending)
    {
        if (pending.Count == 0)
        {
            return false;
        }

        _setup.Handler.Tell(new ReceivedBatch(Self, pending), Self);
        pending = [];
        return true;
    }

    private static void RefuseAll(IReadOnlyList<Packet> packets, SendRefusal refusal, IActorRef replyTo)
    {
        foreach (var packet in packets)
        {
            Refuse(packet, refusal, replyTo);
        }
    }

    private void ResumeReadingRequested()
    {
        if (_heldPackets > 0)
        {
            _reader!.Delivered(_heldPackets);
            _heldPackets = 0;
        }
    }
}
