using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>
/// A user's handler that throws is never silent: it is restarted and the failure logged with its path and the packet's
/// TYPE, other packets and other connections flow on, and past lan.handler's budget its connections close with
/// HandlerFailed.
/// </summary>
public sealed class HandlerFailureSpec(ITestOutputHelper output) : LanTestKit(
    "lan.tcp { port = 0, close-timeout = 300ms }\nlan.handler { max-restarts = 2, restart-window = 1h }", output)
{
    /// <summary>Echoes every packet, but throws on a BOOM.</summary>
    private sealed class Fragile : ReceiveActor
    {
        public Fragile()
        {
            Receive<Received>(received => received.Packet.Type == "BOOM", _ => throw new InvalidOperationException("cannot handle a BOOM"));
            Receive<Received>(received => received.Connection.Tell(new Send(received.Packet)));
            ReceiveAny(_ => { });
        }
    }

    /// <summary>As <see cref="Fragile"/>, in pull mode: it asks for each next batch with ResumeReading.</summary>
    private sealed class FragilePulling : ReceiveActor
    {
        public FragilePulling()
        {
            Receive<Received>(received => received.Packet.Type == "BOOM", _ => throw new InvalidOperationException("cannot handle a BOOM"));
            Receive<Received>(received =>
            {
                received.Connection.Tell(new Send(received.Packet));
                received.Connection.Tell(ResumeReading.Instance);
            });
            ReceiveAny(_ => { });
        }
    }

    private static Packet Boom => Packet.Create("BOOM").Build();

    private Task<LanServer> StartServer(HandlerMode mode) =>
        LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), Props.Create<Fragile>(), new ServerOptions { Mode = mode });

    private static async Task<string?> EchoAsync(RawPeer peer, string text)
    {
        await peer.SendAsync(RawPeer.Message(text));
        return (await peer.ReadAsync())?.GetString("TEXT");
    }

    [Theory]
    [InlineData(HandlerMode.PerConnection)]
    [InlineData(HandlerMode.Shared)]
    public async Task AHandlerThrowingOnOnePacketType_IsRestarted_AndLogged_WhileOtherPacketsAndConnectionsFlow(HandlerMode mode)
    {
        var server = await StartServer(mode);
        using var thrower = await RawPeer.ConnectAsync(server.LocalEndPoint);
        using var bystander = await RawPeer.ConnectAsync(server.LocalEndPoint);
        Assert.Equal("before", await EchoAsync(thrower, "before"));
        Assert.Equal("hello", await EchoAsync(bystander, "hello"));

        await EventFilter.Error(contains: "failed while handling a BOOM packet: InvalidOperationException: cannot handle a BOOM; restarted (1 of 2")
            .ExpectOneAsync(() => thrower.SendAsync(Boom));

        Assert.Equal("after", await EchoAsync(thrower, "after"));
        Assert.Equal("still here", await EchoAsync(bystander, "still here"));
    }

    [Theory]
    [InlineData(HandlerMode.PerConnection)]
    [InlineData(HandlerMode.Shared)]
    public async Task InPullMode_TheConnectionAHandlerFailedOn_IsReadAgainAfterTheRestart(HandlerMode mode)
    {
        // The packet it failed on is lost, and with it the ResumeReading the handler would have sent for it.
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), Props.Create<FragilePulling>(), new ServerOptions { Mode = mode, PullMode = true });
        using var thrower = await RawPeer.ConnectAsync(server.LocalEndPoint);
        Assert.Equal("before", await EchoAsync(thrower, "before"));

        await EventFilter.Error(contains: "failed while handling a BOOM packet").ExpectOneAsync(() => thrower.SendAsync(Boom));

        Assert.Equal("after", await EchoAsync(thrower, "after"));
    }

    [Fact]
    public async Task APerConnectionHandler_PastItsRestartBudget_ClosesOnlyItsConnection_WithHandlerFailed()
    {
        var server = await StartServer(HandlerMode.PerConnection);
        using var thrower = await RawPeer.ConnectAsync(server.LocalEndPoint);
        using var bystander = await RawPeer.ConnectAsync(server.LocalEndPoint);
        Assert.Equal("hi", await EchoAsync(thrower, "hi"));

        await EventFilter.Error(contains: "stopped: it failed more than 2 times within 3600 s (lan.handler)")
            .ExpectOneAsync(() => thrower.SendAsync(Boom, Boom, Boom));

        var last = (await thrower.ReadToEndAsync()).Last();
        Assert.Equal(PacketTypes.Disconnect, last.Type);
        Assert.Contains("handler", last.GetString("REASON"), StringComparison.Ordinal);
        Assert.Equal("unharmed", await EchoAsync(bystander, "unharmed"));
    }

    [Fact]
    public async Task ASharedHandler_PastItsRestartBudget_ClosesEveryConnection_WithHandlerFailed_AndSaysSo()
    {
        var server = await StartServer(HandlerMode.Shared);
        Sys.EventStream.Subscribe(TestActor, typeof(Akka.Event.Error));
        using var thrower = await RawPeer.ConnectAsync(server.LocalEndPoint);
        using var bystander = await RawPeer.ConnectAsync(server.LocalEndPoint);
        Assert.Equal("hi", await EchoAsync(bystander, "hi"));

        await thrower.SendAsync(Boom, Boom, Boom);

        FishForMessage<Akka.Event.Error>(error => error.Message.ToString()!.Contains("so its connections close with HandlerFailed", StringComparison.Ordinal));
        foreach (var peer in new[] { thrower, bystander })
        {
            var last = (await peer.ReadToEndAsync()).Last();
            Assert.Equal(PacketTypes.Disconnect, last.Type);
            Assert.Contains("handler failed", last.GetString("REASON"), StringComparison.Ordinal);
        }
    }
}
