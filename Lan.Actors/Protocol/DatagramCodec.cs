namespace Lan.Actors.Protocol;

/// <summary>
/// UDP packets: the datagram is the frame, one UTF-8 JSON object with a <c>TYPE</c>, no length prefix and no content.
/// </summary>
public sealed class DatagramCodec
{
    /// <summary>Creates a codec enforcing <paramref name="settings"/> (<c>lan.protocol.max-datagram-size</c> and <c>max-depth</c>).</summary>
    public DatagramCodec(ProtocolSettings? settings = null) => Settings = settings ?? ProtocolSettings.Default;

    /// <summary>The limits every datagram is checked against.</summary>
    public ProtocolSettings Settings { get; }

    /// <summary>Checks and copies one received datagram into a packet; throws <see cref="ProtocolException"/> on bad input.</summary>
    public Packet Decode(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > Settings.MaxDatagramSize)
        {
            throw new ProtocolException(ProtocolError.DatagramTooLarge,
                $"datagram of {ByteSizeText.Format(datagram.Length)} exceeds lan.protocol.max-datagram-size = {ByteSizeText.Format(Settings.MaxDatagramSize)}; "
                + "keep discovery packets small or raise the limit on every node");
        }

        PacketHeader header = PacketHeaderParser.Parse(datagram, Settings.MaxDepth, Settings.MaxContentSize, isDatagram: true);
        return new Packet(datagram.ToArray(), header.Type, ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>
    /// The bytes to send for <paramref name="packet"/>: its JSON itself, so nothing is copied or allocated. Throws
    /// <see cref="ProtocolException"/> when the packet has content or is larger than a datagram may be.
    /// </summary>
    public ReadOnlyMemory<byte> Encode(Packet packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (!packet.Content.IsEmpty)
        {
            throw new ProtocolException(ProtocolError.ContentTooLarge,
                $"packet {packet.Type} has {ByteSizeText.Format(packet.Content.Length)} of content but a datagram carries none; send it over TCP");
        }

        if (packet.Json.Length > Settings.MaxDatagramSize)
        {
            throw new ProtocolException(ProtocolError.DatagramTooLarge,
                $"packet {packet.Type} encodes to {ByteSizeText.Format(packet.Json.Length)}, more than lan.protocol.max-datagram-size = {ByteSizeText.Format(Settings.MaxDatagramSize)}; "
                + "keep discovery packets small or send it over TCP");
        }

        if (packet.MayNestDeeperThan(Settings.MaxDepth))
        {
            throw new ProtocolException(ProtocolError.TooDeep,
                $"packet {packet.Type} nests {packet.Depth} levels, deeper than lan.protocol.max-depth = {Settings.MaxDepth}; "
                + "a peer would refuse it: flatten the packet or raise the limit on both peers");
        }

        return packet.Json;
    }
}
