using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Handlers;

/// <summary>EchoHandler and ChatRoomHandler on a real server node.</summary>
public sealed class BuiltInHandlerSpec(ITestOutputHelper output) : LanTestKit("lan.tcp { port = 0, close-timeout = 300ms }", output)
{
    private Task<LanServer> Start(Props handler) => LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), handler);

    [Fact]
    public async Task Echo_AnswersEachPacket_WithItsContent()
    {
        var server = await Start(Props.Create<EchoHandler>());
        using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        var blob = Packet.Create("BLOB").Set("N", 3).WithContent(new byte[] { 9, 8, 7 }).Build();
        await peer.SendAsync(RawPeer.Message("ping?"), blob);
        Assert.Equal("ping?", (await peer.ReadAsync())!.GetString("TEXT"));
        var echoed = await peer.ReadAsync();
        Assert.Equal(blob, echoed);
        Assert.Equal(new byte[] { 9, 8, 7 }, echoed!.Content.ToArray());
    }

    [Fact]
    public async Task ChatRoom_RelaysMessagesWithTheSendersName_TellsANewcomerWhoIsHere_AndAnnouncesJoinsAndLeaves()
    {
        var server = await Start(Props.Create<ChatRoomHandler>());
        using var ana = await RawPeer.ConnectAsync(server.LocalEndPoint);
        await ana.SendAsync(Packet.From(new Hello("ana-id", "ana", "lan")));
        // The connection's WELCOME and the room's JOINED race; both come.
        var first = new[] { (await ana.ReadAsync())!, (await ana.ReadAsync())! };
        Assert.Equal(["JOINED", PacketTypes.Welcome], first.Select(packet => packet.Type).Order(StringComparer.Ordinal));
        Assert.Equal("ana", first.Single(packet => packet.Type == "JOINED").GetString("NAME"));

        // bob sends no HELLO (as the first seed's clients): he joins with his first packet, under his peer id.
        var bob = await RawPeer.ConnectAsync(server.LocalEndPoint);
        await bob.SendAsync(RawPeer.Message("hi, I am bob"));
        var joined = await ana.ReadAsync();
        Assert.Equal("JOINED", joined!.Type);
        var bobName = joined.GetString("NAME");
        Assert.StartsWith("anon-", bobName, StringComparison.Ordinal);
        Assert.Equal("ana", (await bob.ReadAsync())!.GetString("NAMES"));
        Assert.Equal(bobName, (await bob.ReadAsync())!.GetString("NAME"));
        Assert.Equal("hi, I am bob", (await ana.ReadAsync())!.GetString("TEXT"));
        Assert.Equal("hi, I am bob", (await bob.ReadAsync())!.GetString("TEXT"));

        await ana.SendAsync(RawPeer.Message("hi all"), RawPeer.Message(""));
        foreach (var member in new[] { ana, bob })
        {
            var said = await member.ReadAsync();
            Assert.Equal(PacketTypes.Message, said!.Type);
            Assert.Equal("hi all", said.GetString("TEXT"));
            Assert.Equal("ana", said.GetString("FROM"));
        }

        bob.Reset();
        var left = await ana.ReadAsync();
        Assert.Equal("LEFT", left!.Type);
        Assert.Equal(bobName, left.GetString("NAME"));
        Assert.Equal(nameof(DisconnectReason.Dropped), left.GetString("REASON"));
        bob.Dispose();
    }

    [Fact]
    public async Task ChatRoom_ASecondBob_JoinsAsBob2_AndEveryoneSeesWhichOneIsNew_WhileANameCannotBreakLinesOrPassForARoomLine()
    {
        var server = await Start(Props.Create<ChatRoomHandler>());
        using var bob = await Join(server, "bob-1", "bob");
        Assert.Equal("bob", (await NextOf(bob, "JOINED")).GetString("NAME"));
        using var other = await Join(server, "bob-2", "BOB");
        var joined = await NextOf(bob, "JOINED");
        Assert.Equal(("BOB (2)", "BOB"), (joined.GetString("NAME"), joined.GetString("ASKED")));

        using var eve = await Join(server, "eve", "* \u001b[2Jcarol\nleft\u202E");
        var evil = await NextOf(bob, "JOINED");
        // ESC, the line break and the override go; what is left of the sequence is harmless text.
        Assert.Equal("[2Jcarolleft", evil.GetString("NAME"));
        Assert.False(evil.TryGet<string>("ASKED", out _));
        Assert.Equal(["bob", "BOB (2)"], (await NextOf(eve, "MEMBERS")).GetString("NAMES").Split('\n'));

        other.Reset();
        Assert.Equal("BOB (2)", (await NextOf(bob, "LEFT")).GetString("NAME"));
        using var again = await Join(server, "bob-3", "Bob");
        Assert.Equal("Bob (2)", (await NextOf(bob, "JOINED")).GetString("NAME"));
    }

    [Fact]
    public async Task ChatRoom_AMemberFlooding_IsHeardOnlyUpToTheRoomsRate_AndALongLineIsCut()
    {
        var server = await Start(Props.Create<ChatRoomHandler>());
        using var flooder = await Join(server, "f", "flooder");
        Assert.Equal("flooder", (await NextOf(flooder, "JOINED")).GetString("NAME"));
        await flooder.SendAsync([.. Enumerable.Range(0, 100).Select(n => RawPeer.Message(n == 0 ? new string('x', 10_000) : $"line {n}"))]);

        // A burst of twice the rate passes at once.
        Assert.Equal(ChatRoomHandler.MaxLineLength + 1, (await NextOf(flooder, PacketTypes.Message)).GetString("TEXT").Length);
        for (var n = 1; n < 2 * ChatRoomHandler.LinesPerSecond; n++)
        {
            Assert.Equal($"line {n}", (await NextOf(flooder, PacketTypes.Message)).GetString("TEXT"));
        }

        // Of the other 60, at most the few the bucket refilled while the room read them; another member is heard at once.
        using var other = await Join(server, "o", "other");
        await other.SendAsync(RawPeer.Message("marker"));
        var more = 0;
        while ((await NextOf(flooder, PacketTypes.Message)).GetString("TEXT") != "marker")
        {
            more++;
        }

        Assert.InRange(more, 0, 5);
    }

    [Theory]
    [InlineData("ana", "ana")]
    [InlineData("  ** ana ", "ana")]
    [InlineData("\u001b]0;x\u0007", "]0;x")]
    [InlineData("", "anon")]
    [InlineData("*\n*", "anon")]
    [InlineData("a-very-long-name-that-goes-on-and-on-and-on", "a-very-long-name-that-goes-on-an")]
    [InlineData("🎉🎉", "🎉🎉")]
    public void ChatRoom_RoomName_KeepsOnlyWhatIsSafeToShow_AtMost32Characters(string asked, string kept) =>
        Assert.Equal(kept, ChatRoomHandler.RoomName(asked));

    private static async Task<RawPeer> Join(LanServer server, string id, string name)
    {
        var peer = await RawPeer.ConnectAsync(server.LocalEndPoint);
        await peer.SendAsync(Packet.From(new Hello(id, name, "lan")));
        return peer;
    }

    private static async Task<Packet> NextOf(RawPeer peer, string type)
    {
        while (true)
        {
            var packet = await peer.ReadAsync();
            Assert.NotNull(packet);
            if (packet.Type == type)
            {
                return packet;
            }
        }
    }
}
