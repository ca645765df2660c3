using System.Security.Cryptography;
using Lan.Actors.Filer;
using Lan.Actors.Protocol;
using Lan.Actors.Tests.Io;

namespace Lan.Actors.Tests.Filer;

/// <summary>The filer's packets as a scripted raw-socket sender writes and reads them.</summary>
internal static class FilerWire
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>A <c>FILE_OFFER</c> for <paramref name="content"/> in chunks of 1 KiB, with or without its SHA256.</summary>
    public static Packet Offer(string id, string name, byte[] content, bool withHash = true)
    {
        var offer = Packet.Create(FilerPackets.Offer).Set("ID", id).Set("NAME", name).Set("SIZE", content.Length).Set("CHUNK", 1024);
        return (withHash ? offer.Set("SHA256", Convert.ToHexStringLower(SHA256.HashData(content))) : offer).Build();
    }

    /// <summary>The next packet from the receiver, which must be of <paramref name="type"/>.</summary>
    public static async Task<Packet> Expect(RawPeer peer, string type)
    {
        var packet = await peer.ReadAsync().WaitAsync(Patience);
        Assert.NotNull(packet);
        Assert.Equal(type, packet.Type);
        return packet;
    }

    /// <summary>An integer field, or −1 when missing.</summary>
    public static long Field(Packet packet, string name) => packet.TryGet<long>(name, out var value) ? value : -1;
}
