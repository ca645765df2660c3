using Lan.Actors.Filer;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Sdk;

namespace Lan.Actors.Tests.Filer;

/// <summary>
/// A scripted receiver's view of a <see cref="FileSenderHandler"/>: the sender's <c>FILE_HASH</c> comes whenever its
/// background hashing ends, anywhere among the chunks, so it is taken aside (and kept in <see cref="Hash"/>) and the
/// script expects the other packets in their order.
/// </summary>
internal sealed class HashAwareReceiver(PacketProbe probe)
{
    /// <summary>The SHA256 of the last <c>FILE_HASH</c>, null before one came.</summary>
    public string? Hash { get; private set; }

    /// <summary>How many <c>FILE_HASH</c> packets came.</summary>
    public int Hashes { get; private set; }

    /// <summary>
    /// The next packet that is not a <c>FILE_HASH</c> (nor, with <paramref name="skipChunks"/>, a <c>FILE_CHUNK</c>
    /// left over from a cut connection); it must be of <paramref name="type"/>.
    /// </summary>
    public Packet Expect(string type, TimeSpan timeout, bool skipChunks = false)
    {
        while (true)
        {
            var packet = Next(timeout) ?? throw new XunitException($"expected a {type} packet, got nothing within {timeout}");
            if (packet.Type == type)
            {
                return packet;
            }

            if (!skipChunks || packet.Type != FilerPackets.Chunk)
            {
                throw new XunitException($"expected a {type} packet, got {packet}");
            }
        }
    }

    /// <summary>Waits for a <c>FILE_HASH</c>; only chunks may come before it.</summary>
    public string ExpectHash(TimeSpan timeout)
    {
        var hashes = Hashes;
        while (Hashes == hashes)
        {
            if (Next(timeout) is { } packet && packet.Type != FilerPackets.Chunk)
            {
                throw new XunitException($"expected FILE_HASH, got {packet}");
            }
        }

        return Hash!;
    }

    /// <summary>Nothing but <c>FILE_HASH</c> for <paramref name="duration"/>.</summary>
    public void ExpectNothingElse(TimeSpan duration)
    {
        if (Next(duration) is { } packet)
        {
            throw new XunitException($"expected no packet but FILE_HASH for {duration}, got {packet}");
        }
    }

    private Packet? Next(TimeSpan timeout)
    {
        while (probe.Packets.ReceiveOne(timeout) is { } next)
        {
            if (next is not Received received)
            {
                throw new XunitException($"expected a packet, got {next}");
            }

            if (received.Packet.Type != FilerPackets.Hash)
            {
                return received.Packet;
            }

            Hash = received.Packet.GetString("SHA256");
            Hashes++;
        }

        return null;
    }
}
