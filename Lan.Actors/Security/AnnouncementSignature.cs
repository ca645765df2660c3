using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Lan.Actors.Protocol;

namespace Lan.Actors.Security;

/// <summary>
/// How a server signs what it says over UDP in TLS mode. The signed bytes are the packet's fields in a fixed order,
/// each as a 4-byte big-endian length and its UTF-8 bytes (META by key, ordinally), so no field can be moved into
/// another and the JSON's own spelling (spaces, key order) does not matter.
/// </summary>
internal static class AnnouncementSignature
{
    /// <summary>The hello signed by <paramref name="identity"/> at <paramref name="unixMilliseconds"/>.</summary>
    public static ServerHello Sign(ServerHello hello, NodeIdentity identity, long unixMilliseconds)
    {
        var stamped = hello with { Cert = Convert.ToBase64String(identity.Certificate.RawDataMemory.Span), Ts = unixMilliseconds, Sig = null };
        return stamped with { Sig = Convert.ToBase64String(identity.Sign(Payload(stamped))) };
    }

    /// <summary>The goodbye signed by <paramref name="identity"/> at <paramref name="unixMilliseconds"/>.</summary>
    public static ServerBye Sign(ServerBye bye, NodeIdentity identity, long unixMilliseconds)
    {
        var stamped = bye with { Ts = unixMilliseconds, Sig = null };
        return stamped with { Sig = Convert.ToBase64String(identity.Sign(Payload(stamped))) };
    }

    /// <summary>The bytes a hello's signature covers.</summary>
    public static byte[] Payload(ServerHello hello)
    {
        var fields = new List<string>
        {
            PacketTypes.ServerHello, hello.Id, hello.Name, hello.App, Number(hello.Port), Number(hello.Version), hello.Instance ?? "", hello.Cert ?? "", Number(hello.Ts ?? 0),
        };
        foreach (var (key, value) in (hello.Meta ?? new Dictionary<string, string>()).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            fields.Add(key);
            fields.Add(value);
        }

        return Join(fields);
    }

    /// <summary>The bytes a goodbye's signature covers.</summary>
    public static byte[] Payload(ServerBye bye) => Join([PacketTypes.ServerBye, bye.Id, Number(bye.Ts ?? 0)]);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static byte[] Join(List<string> fields)
    {
        var bytes = new List<byte>(256);
        Span<byte> length = stackalloc byte[4];
        foreach (var field in fields)
        {
            var text = Encoding.UTF8.GetBytes(field ?? "");
            BinaryPrimitives.WriteInt32BigEndian(length, text.Length);
            bytes.AddRange(length);
            bytes.AddRange(text);
        }

        return [.. bytes];
    }
}
