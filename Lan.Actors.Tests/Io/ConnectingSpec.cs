using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Lan.Actors.Protocol;
using Lan.Actors.TestKit;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Io;

/// <summary>
/// An outbound connection before its socket is connected. The server is a listening socket whose accept
/// queue is full and never drained, so the kernel drops the connection's SYNs and the connect stays pending.
/// </summary>
public sealed class ConnectingSpec : LanTestKit
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _fillers = [];

    public ConnectingSpec(ITestOutputHelper output)
        : base("lan.tcp.connect-timeout = 1h", output)
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(0);
        // With a backlog of 0 the queue takes one connection; the next waits in SYN_SENT, as will the spec's.
        for (var i = 0; i < 2; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _ = filler.ConnectAsync(_listener.LocalEndPoint!);
            _fillers.Add(filler);
        }
    }

    private IActorRef StartConnecting()
    {
        var settings = LanNodeSettings.FromConfig(LanConfig);
        var setup = new ConnectionSetup(TestActor, settings.Tcp, settings.Protocol, settings.Node, PullMode: false);
        return Sys.ActorOf(ConnectionActor.Outbound((IPEndPoint)_listener.LocalEndPoint!, setup));
    }

    [Fact]
    public void Send_BeforeTheConnectionIsUp_IsRefusedAsClosed()
    {
        var connection = StartConnecting();
        var packet = RawPeer.Message("too early");
        connection.Tell(new Send(packet));
        var refused = ExpectMsg<SendRefused>();
        Assert.Equal(SendRefusal.Closed, refused.Reason);
        Assert.Same(packet, refused.Packet);
        // Still connecting: no Connected came.
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Close_BeforeTheConnectionIsUp_StopsIt_WithNothingToTellTheHandler()
    {
        var connection = StartConnecting();
        Watch(connection);
        connection.Tell(new Close());
        ExpectTerminated(connection);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Abort_BeforeTheConnectionIsUp_StopsIt_WithNothingToTellTheHandler()
    {
        var connection = StartConnecting();
        Watch(connection);
        connection.Tell(Abort.Instance);
        ExpectTerminated(connection);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var filler in _fillers)
        {
            filler.Dispose();
        }

        _listener.Dispose();
        base.Dispose(disposing);
    }
}
