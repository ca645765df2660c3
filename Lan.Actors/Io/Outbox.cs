using System.Buffers;
using System.Diagnostics;
using Lan.Actors.Protocol;
using Lan.Actors.Metrics;

namespace Lan.Actors.Io;

/// <summary>
/// A connection's send queue, bounded in packets and in bytes (a peer that never reads must not make the node hold
/// its answers without limit). Everything queued while a send is in flight leaves in the next send, encoded back to
/// back into one buffer, so a burst of small packets costs few system calls. The buffer is rented for the send and
/// returned after it: an idle connection holds none. With a <see cref="SendBudget"/>, what it queues counts toward the
/// node's total too.
/// </summary>
internal sealed class Outbox(ProtocolSettings protocol, SendBudget? budget = null)
{
    // One send carries at most about this much; a larger single packet is sent alone.
    private const int BatchBytes = 256 * 1024;
    private readonly Queue<Packet> _queue = new();
    private readonly FrameEncoder _encoder = new(protocol);
    private byte[]? _rented;
    private int _inFlightPackets;

    public bool HasPending => _queue.Count > 0;

    /// <summary>Packets waiting to be written.</summary>
    public int Count => _queue.Count;

    /// <summary>The frame bytes of the packets queued and not yet in a send.</summary>
    public long QueuedBytes
    {
        get;
        private set
        {
            budget?.Update(field, value);
            field = value;
        }
    }

    public long PacketsSent { get; private set; }

    public long BytesSent { get; private set; }

    /// <summary>
    /// Queues <paramref name="packet"/>, or says why not: <paramref name="limit"/> packets, or <paramref name="byteLimit"/>
    /// bytes with this one, are queued already. An empty queue takes any packet the peer accepts, so a packet larger
    /// than the byte limit can still be sent alone.
    /// </summary>
    public SendRefusal? TryEnqueue(Packet packet, int limit, long byteLimit)
    {
        if (_queue.Count >= limit || (_queue.Count > 0 && QueuedBytes + packet.FrameLength > byteLimit)
            || budget?.Refuses(QueuedBytes, packet.FrameLength) == true)
        {
            return SendRefusal.QueueFull;
        }

        if (!Fits(packet))
        {
            return SendRefusal.TooLarge;
        }

        _queue.Enqueue(packet);
        QueuedBytes += packet.FrameLength;
        return null;
    }

    /// <summary>Whether a peer with these settings would accept <paramref name="packet"/>.</summary>
    public bool Fits(Packet packet) => _encoder.LimitExceeded(packet) is null;

    /// <summary>
    /// Queues the last packet of a connection (its DISCONNECT) past the queue limit: a close is never refused. The caller
    /// has made sure it <see cref="Fits"/>, since batches are written without a second check.
    /// </summary>
    public void EnqueueFinal(Packet packet)
    {
        Debug.Assert(Fits(packet), "a final packet must fit the peer's limits");
        _queue.Enqueue(packet);
        QueuedBytes += packet.FrameLength;
    }

    /// <summary>Encodes queued packets into the send buffer and returns the bytes to send; valid until the next call.</summary>
    public ReadOnlyMemory<byte> EncodeBatch()
    {
        long size = 0;
        var count = 0;
        foreach (var packet in _queue)
        {
            if (count > 0 && size + packet.FrameLength > BatchBytes)
            {
                break;
            }

            size += packet.FrameLength;
            count++;
        }

        _rented = ArrayPool<byte>.Shared.Rent((int)size);
        var writer = new FixedBufferWriter(_rented);
        for (var i = 0; i < count; i++)
        {
            // Checked once, when queued: by TryEnqueue, or by Fits for the connection's final DISCONNECT.
            FrameEncoder.WriteFrame(_queue.Dequeue(), writer);
        }

        // Once per batch, not per packet: the node's budget is shared, and every change to it is an interlocked add.
        QueuedBytes -= size;

        _inFlightPackets = count;
        return _rented.AsMemory(0, writer.Written);
    }

    /// <summary>The last batch has left (or never will): its buffer goes back to the pool.</summary>
    public void Sent(int bytes)
    {
        PacketsSent += _inFlightPackets;
        BytesSent += bytes;
        LanMetrics.Packets.Add(_inFlightPackets, LanMetrics.Transmit);
        LanMetrics.Bytes.Add(bytes, LanMetrics.Transmit);
        _inFlightPackets = 0;
        Release();
    }

    /// <summary>The connection has ended: what it still queued no longer counts toward the node's budget.</summary>
    public void Abandon()
    {
        _queue.Clear();
        QueuedBytes = 0;
    }

    /// <summary>Returns the send buffer, if one is rented.</summary>
    public void Release()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }

    // FrameEncoder writes through IBufferWriter; the batch's exact size is known, so a plain array serves.
    private sealed class FixedBufferWriter(byte[] array) : IBufferWriter<byte>
    {
        public int Written { get; private set; }

        public void Advance(int count) => Written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => array.AsMemory(Written);

        public Span<byte> GetSpan(int sizeHint = 0) => array.AsSpan(Written);
    }
}
