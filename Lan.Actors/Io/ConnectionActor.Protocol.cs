using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Lan.Actors.Hocon;
using Lan.Actors.Protocol;

namespace Lan.Actors.Io;

// Sending, closing, connecting and the reserved packets (PING/PONG, DISCONNECT, the HELLO handshake).
internal sealed partial class ConnectionActor
{
    private const string CloseTimer = "close";

    private void Enqueue(Packet packet, IActorRef? replyTo)
    {
        if (_closePending)
        {
            Refuse(packet, SendRefusal.Closed, replyTo);
            return;
        }

        if (_outbox.TryEnqueue(packet, _setup.Tcp.SendQueueLimit) is { } refusal)
        {
            Refuse(packet, refusal, replyTo);
            return;
        }

        ScheduleFlush();
    }

    /// <summary>Queues every packet of a <see cref="SendBatch"/> in order; each one refused is refused alone, as a <see cref="Send"/> would be.</summary>
    private void EnqueueAll(IReadOnlyList<Packet> packets, IActorRef? replyTo)
    {
        for (var i = 0; i < packets.Count; i++)
        {
            Enqueue(packets[i], replyTo);
        }
    }

    // The flush waits for a message of its own, so every Send already in the mailbox joins the same write:
    // a handler answering a batch of 64 packets costs one system call, not 64.
    private void ScheduleFlush()
    {
        if (!_writing && !_flushScheduled)
        {
            _flushScheduled = true;
            Self.Tell(FlushNow.Instance);
        }
    }

    private void OnFlushNow()
    {
        _flushScheduled = false;
        Flush();
    }

    private static void Refuse(Packet packet, SendRefusal refusal, IActorRef? replyTo)
    {
        if (replyTo is not null && !replyTo.IsNobody())
        {
            replyTo.Tell(new SendRefused(packet, refusal));
        }
    }

    /// <summary>Writes everything queued as one send per batch; a send that completes at once is not waited for.</summary>
    private void Flush()
    {
        while (!_writing && _outbox.HasPending)
        {
            var bytes = _outbox.EncodeBatch();
            ValueTask<int> sending;
            try
            {
                sending = _socket!.SendAsync(bytes, SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                Fail(DisconnectReason.Dropped, $"sending failed: {e.Message}", e);
                return;
            }

            Task<int> rest;
            if (sending.IsCompletedSuccessfully)
            {
                var sent = sending.Result;
                if (sent == bytes.Length)
                {
                    _outbox.Sent(bytes.Length);
                    continue;
                }

                rest = Task.FromResult(sent);
            }
            else
            {
                rest = sending.AsTask();
            }

            _writing = true;
            _ = FinishSendAsync(rest, bytes, _socket!, Self);
        }

        if (!_writing && _closePending && !_outbox.HasPending)
        {
            ShutdownSend();
        }
    }

    private static async Task FinishSendAsync(Task<int> pending, ReadOnlyMemory<byte> bytes, Socket socket, IActorRef self)
    {
        try
        {
            // Stryker disable once Boolean : equivalent: the continuation has no context to return to either way
            var sent = await pending.ConfigureAwait(false);
            while (sent < bytes.Length)
            {
                // Stryker disable once Boolean : equivalent: the continuation has no context to return to either way
                sent += await socket.SendAsync(bytes[sent..], SocketFlags.None).ConfigureAwait(false);
            }

            self.Tell(new WriteCompleted(bytes.Length), ActorRefs.NoSender);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            self.Tell(new WriteFailed(e), ActorRefs.NoSender);
        }
    }

    private void OnWriteCompleted(WriteCompleted done)
    {
        _writing = false;
        _outbox.Sent(done.Bytes);
        if (_endOfStreamWhileWriting)
        {
            // Closing already (its reason is set): the peer's end of stream is all it was waiting for.
            if (_endReason is not null)
            {
                Context.Stop(Self);
            }
            else
            {
                OnReadEnded(new ReadEnded(null));
            }

            return;
        }

        Flush();
    }

    private void BeginClose(DisconnectReason reason, string detail)
    {
        if (_endReason is not null)
        {
            return;
        }

        _endReason = reason;
        _endDetail = detail;
        // The reason may quote the peer or the user; a DISCONNECT too large for the peer to accept goes without it.
        var farewell = Packet.From(new Disconnect(detail));
        _outbox.EnqueueFinal(_outbox.Fits(farewell) ? farewell : Packet.From(new Disconnect()));
        _closePending = true;
        Become(Closing);
        Timers.StartSingleTimer(CloseTimer, CloseTimedOut.Instance, _setup.Tcp.CloseTimeout);
        ResumeReadingRequested();

        Flush();
    }

    private void ShutdownSend()
    {
        try
        {
            _socket!.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Context.Stop(Self);
        }
    }

    /// <summary>True for the packets the connection answers itself; the handler never sees them.</summary>
    private bool Consumed(Packet packet)
    {
        var first = !_firstPacketSeen;
        _firstPacketSeen = true;
        switch (packet.Type)
        {
            case PacketTypes.Ping:
                Enqueue(PongPacket, ActorRefs.NoSender);
                return true;
            case PacketTypes.Pong:
                return true;
            case PacketTypes.Disconnect:
                PeerSaidDisconnect(packet);
                return true;
            case PacketTypes.Hello when IsInbound && first:
                Handshake(packet);
                return true;
            case PacketTypes.Welcome when !IsInbound:
                var welcome = packet.As<Welcome>();
                _log.Info("{EndPoint} is {Name} (node {Id})", _peer!.EndPoint, welcome.Name, welcome.Id);
                _peer = _peer with { Id = welcome.Id, Name = welcome.Name };
                _setup.Handler.Tell(new Identified(Self, _peer), Self);
                return true;
            case PacketTypes.Reject when !IsInbound:
                _endReason = DisconnectReason.Rejected;
                _endDetail = $"the server refused the handshake: {packet.As<Reject>().Reason}";
                Context.Stop(Self);
                return true;
        }

        if (first && IsInbound && _setup.Tcp.RequireHello)
        {
            RejectPeer($"this node requires HELLO as the first packet (lan.tcp.require-hello = on), got {packet.Type}");
            return true;
        }

        return false;
    }

    private void PeerSaidDisconnect(Packet packet)
    {
        var said = packet.As<Disconnect>().Reason;
        var detail = string.IsNullOrEmpty(said) ? "the peer said DISCONNECT" : $"the peer said DISCONNECT: {said}";
        if (IsInbound)
        {
            _endReason = DisconnectReason.Requested;
            _endDetail = detail;
            Context.Stop(Self);
        }
        else
        {
            Fail(DisconnectReason.ServerClosed, detail, new ServerClosedException(detail));
        }
    }

    private void Handshake(Packet packet)
    {
        Hello hello;
        try
        {
            hello = packet.As<Hello>();
        }
        catch (ProtocolException e)
        {
            RejectPeer($"a malformed HELLO: {e.Message}");
            return;
        }

        var node = _setup.Node;
        if (!string.Equals(hello.App, node.App, StringComparison.Ordinal))
        {
            // The peer chose its APP: quoted only in part, so a huge one cannot swell the REJECT, the DISCONNECT or the log.
            RejectPeer($"this node serves app \"{node.App}\", not \"{Quoted(hello.App)}\"");
            return;
        }

        _log.Info("{Peer} at {EndPoint} is {Name} (node {Id})", _peer!.Name, _peer.EndPoint, hello.Name, hello.Id);
        _peer = _peer with { Id = hello.Id, Name = hello.Name };
        Context.Parent.Tell(new PeerIdentified(_peer));
        Enqueue(Packet.From(new Welcome(node.Id, node.Name)), ActorRefs.NoSender);
        _setup.Handler.Tell(new Identified(Self, _peer), Self);
    }

    private static string Quoted(string text)
    {
        const int Shown = 64;
        return text.Length <= Shown ? text : string.Concat(text.AsSpan(0, Shown), "…");
    }

    private void RejectPeer(string reason)
    {
        _log.Info("rejecting {EndPoint}: {Reason}", _peer!.EndPoint, reason);
        Enqueue(Packet.From(new Reject(reason)), ActorRefs.NoSender);
        BeginClose(DisconnectReason.Rejected, reason);
    }

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

    private sealed record FlushNow : IDeadLetterSuppression
    {
        public static FlushNow Instance { get; } = new();
    }

    private sealed record SocketConnected(Socket Socket) : IDeadLetterSuppression;

    private sealed record ConnectFailed(Exception Error) : IDeadLetterSuppression;

    private sealed record WriteCompleted(int Bytes) : IDeadLetterSuppression;

    private sealed record WriteFailed(Exception Error) : IDeadLetterSuppression;
}
