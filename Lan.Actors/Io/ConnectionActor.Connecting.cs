using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Hocon;

namespace Lan.Actors.Io;

// An outbound connection: connect within lan.tcp.connect-timeout, then the same actor as an accepted one.
internal sealed partial class ConnectionActor
{
    private void StartConnecting(IPEndPoint remote)
    {
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // Owned from the start, so a stop while connecting closes it.
        _socket = socket;
        _ = ConnectAsync(socket, remote, _setup.Tcp.ConnectTimeout, Self);
    }

    private static async Task ConnectAsync(Socket socket, IPEndPoint remote, TimeSpan timeout, IActorRef self)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(remote, deadline.Token).ConfigureAwait(false);
            self.Tell(new SocketConnected(socket), ActorRefs.NoSender);
        }
        catch (OperationCanceledException)
        {
            self.Tell(new ConnectFailed(new TimeoutException($"no answer within lan.tcp.connect-timeout = {DurationFormat.Format(timeout)}")), ActorRefs.NoSender);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            self.Tell(new ConnectFailed(e), ActorRefs.NoSender);
        }
    }

    private sealed record SocketConnected(Socket Socket) : IDeadLetterSuppression;

    private sealed record ConnectFailed(Exception Error) : IDeadLetterSuppression;
}
