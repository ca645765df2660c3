using Lan.Actors.Protocol;

namespace Lan.Actors.Tests.Protocol;

/// <summary>One hex example of docs/PROTOCOL.md: its bytes, how it travels, and the packet it stands for.</summary>
public sealed record ProtocolVector(string Name, bool IsDatagram, string Hex, Func<Packet> Packet, object? Record)
{
    public byte[] Bytes => Convert.FromHexString(Hex.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal));

    public override string ToString() => Name;
}

/// <summary>The test vectors; docs/PROTOCOL.md shows exactly these bytes under the same names.</summary>
public static class ProtocolVectors
{
    public static readonly ProtocolVector MessageFrame = new(
        "message-frame", false,
        """
        00 00 00 1e 7b 22 54 59 50 45 22 3a 22 4d 45 53
        53 41 47 45 22 2c 22 54 45 58 54 22 3a 22 68 69
        22 7d
        """,
        () => Packet.From(new TextMessage("hi")),
        new TextMessage("hi"));

    public static readonly ProtocolVector ContentFrame = new(
        "content-frame", false,
        """
        00 00 00 2b 7b 22 54 59 50 45 22 3a 22 46 49 4c
        45 5f 43 48 55 4e 4b 22 2c 22 43 4c 22 3a 35 2c
        22 4e 41 4d 45 22 3a 22 61 2e 74 78 74 22 7d 68
        65 6c 6c 6f
        """,
        () => Packet.Create("FILE_CHUNK").Set("NAME", "a.txt").WithContent("hello"u8.ToArray()).Build(),
        null);

    public static readonly ProtocolVector ClientHelloDatagram = new(
        "client-hello-datagram", true,
        """
        7b 22 54 59 50 45 22 3a 22 43 4c 49 45 4e 54 5f
        48 45 4c 4c 4f 22 2c 22 49 44 22 3a 22 6e 31 22
        2c 22 41 50 50 22 3a 22 63 68 61 74 22 7d
        """,
        () => Packet.From(new ClientHello("n1", App: "chat")),
        new ClientHello("n1", App: "chat"));

    // Exactly what the first seed's clients broadcast: no ID, no APP.
    public static readonly ProtocolVector SeedClientHelloDatagram = new(
        "seed-client-hello-datagram", true,
        """
        7b 22 54 59 50 45 22 3a 22 43 4c 49 45 4e 54 5f
        48 45 4c 4c 4f 22 7d
        """,
        () => Packet.From(new ClientHello(null)),
        new ClientHello(null));

    public static readonly ProtocolVector ServerHelloDatagram = new(
        "server-hello-datagram", true,
        """
        7b 22 54 59 50 45 22 3a 22 53 45 52 56 45 52 5f
        48 45 4c 4c 4f 22 2c 22 49 44 22 3a 22 73 31 22
        2c 22 4e 41 4d 45 22 3a 22 6c 6f 62 62 79 22 2c
        22 41 50 50 22 3a 22 63 68 61 74 22 2c 22 50 4f
        52 54 22 3a 35 30 30 30 2c 22 56 45 52 53 49 4f
        4e 22 3a 31 7d
        """,
        () => Packet.From(new ServerHello("s1", "lobby", "chat", 5000)),
        new ServerHello("s1", "lobby", "chat", 5000));

    public static readonly ProtocolVector ServerByeDatagram = new(
        "server-bye-datagram", true,
        """
        7b 22 54 59 50 45 22 3a 22 53 45 52 56 45 52 5f
        42 59 45 22 2c 22 49 44 22 3a 22 73 31 22 7d
        """,
        () => Packet.From(new ServerBye("s1")),
        new ServerBye("s1"));

    public static readonly ProtocolVector HelloFrame = new(
        "hello-frame", false,
        """
        00 00 00 40 7b 22 54 59 50 45 22 3a 22 48 45 4c
        4c 4f 22 2c 22 49 44 22 3a 22 6e 31 22 2c 22 4e
        41 4d 45 22 3a 22 61 6e 6e 22 2c 22 41 50 50 22
        3a 22 63 68 61 74 22 2c 22 56 45 52 53 49 4f 4e
        22 3a 31 7d
        """,
        () => Packet.From(new Hello("n1", "ann", "chat")),
        new Hello("n1", "ann", "chat"));

    public static readonly ProtocolVector WelcomeFrame = new(
        "welcome-frame", false,
        """
        00 00 00 37 7b 22 54 59 50 45 22 3a 22 57 45 4c
        43 4f 4d 45 22 2c 22 49 44 22 3a 22 73 31 22 2c
        22 4e 41 4d 45 22 3a 22 6c 6f 62 62 79 22 2c 22
        56 45 52 53 49 4f 4e 22 3a 31 7d
        """,
        () => Packet.From(new Welcome("s1", "lobby")),
        new Welcome("s1", "lobby"));

    public static readonly ProtocolVector RejectFrame = new(
        "reject-frame", false,
        """
        00 00 00 26 7b 22 54 59 50 45 22 3a 22 52 45 4a
        45 43 54 22 2c 22 52 45 41 53 4f 4e 22 3a 22 77
        72 6f 6e 67 20 61 70 70 22 7d
        """,
        () => Packet.From(new Reject("wrong app")),
        new Reject("wrong app"));

    public static readonly ProtocolVector PingFrame = new(
        "ping-frame", false,
        """
        00 00 00 0f 7b 22 54 59 50 45 22 3a 22 50 49 4e
        47 22 7d
        """,
        () => Packet.From(new Ping()),
        new Ping());

    public static readonly ProtocolVector PongFrame = new(
        "pong-frame", false,
        """
        00 00 00 0f 7b 22 54 59 50 45 22 3a 22 50 4f 4e
        47 22 7d
        """,
        () => Packet.From(new Pong()),
        new Pong());

    public static readonly ProtocolVector DisconnectFrame = new(
        "disconnect-frame", false,
        """
        00 00 00 24 7b 22 54 59 50 45 22 3a 22 44 49 53
        43 4f 4e 4e 45 43 54 22 2c 22 52 45 41 53 4f 4e
        22 3a 22 62 79 65 22 7d
        """,
        () => Packet.From(new Disconnect("bye")),
        new Disconnect("bye"));

    public static IReadOnlyList<ProtocolVector> All { get; } =
    [
        MessageFrame, ContentFrame, ClientHelloDatagram, SeedClientHelloDatagram, ServerHelloDatagram, ServerByeDatagram,
        HelloFrame, WelcomeFrame, RejectFrame, PingFrame, PongFrame, DisconnectFrame,
    ];

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (ProtocolVector vector in All)
        {
            names.Add(vector.Name);
        }

        return names;
    }

    public static ProtocolVector Named(string name)
    {
        foreach (ProtocolVector vector in All)
        {
            if (vector.Name == name)
            {
                return vector;
            }
        }

        throw new ArgumentException($"no vector {name}", nameof(name));
    }
}
