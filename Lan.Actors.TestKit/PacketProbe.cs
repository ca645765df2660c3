using Akka.Actor;
using Akka.TestKit;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Xunit.Sdk;

namespace Lan.Actors.TestKit;

/// <summary>
/// A handler for a test: the packets its connection receives flow into <see cref="Packets"/> and the
/// connection's life (<see cref="Connected"/>, <see cref="Identified"/>, <see cref="Disconnected"/>) into
/// <see cref="Events"/>, two Akka.TestKit <see cref="TestProbe"/>s. Give <see cref="HandlerProps"/> to a node,
/// or let <see cref="LoopbackLan.StartProbeClient"/> do it.
/// </summary>
public sealed class PacketProbe
{
    private IActorRef? _connection;

    /// <summary>Creates the probes in the test kit's system.</summary>
    public PacketProbe(TestKitBase kit, string name = "probe")
    {
        ArgumentNullException.ThrowIfNull(kit);
        Packets = kit.CreateTestProbe($"{name}-packets");
        Events = kit.CreateTestProbe($"{name}-events");
        FailedAttempts = kit.CreateTestProbe($"{name}-failed-attempts");
        HandlerProps = Props.Create(() => new Relay(Packets.Ref, Events.Ref, FailedAttempts.Ref));
    }

    /// <summary>Receives a <see cref="Received"/> for every packet that arrives.</summary>
    public TestProbe Packets { get; }

    /// <summary>Receives <see cref="Connected"/>, <see cref="Identified"/>, <see cref="Disconnected"/> and <see cref="SendRefused"/>.</summary>
    public TestProbe Events { get; }

    /// <summary>Receives a <see cref="ConnectAttemptFailed"/> for each outbound attempt that failed (kept apart, so <see cref="Events"/> reads as the connection's life).</summary>
    public TestProbe FailedAttempts { get; }

    /// <summary>The client node whose handler this probe is, when <see cref="LoopbackLan.StartProbeClient"/> started it.</summary>
    public Lan.Actors.Nodes.LanClient? Client { get; internal set; }

    /// <summary>Props of the handler that feeds the probes; one handler per probe.</summary>
    public Props HandlerProps { get; }

    /// <summary>The connection seen last by <see cref="ExpectConnected"/> or <see cref="ExpectIdentified"/>.</summary>
    /// <exception cref="InvalidOperationException">No connection was expected yet.</exception>
    public IActorRef Connection =>
        _connection ?? throw new InvalidOperationException("No connection yet: call ExpectConnected or ExpectIdentified first.");

    /// <summary>Expects the next event to be <see cref="Connected"/>, within the dilated default timeout.</summary>
    public Connected ExpectConnected(TimeSpan? timeout = null)
    {
        var connected = Events.ExpectMsg<Connected>(timeout);
        _connection = connected.Connection;
        return connected;
    }

    /// <summary>Expects the handshake to finish: <see cref="Connected"/> (if not expected already) and then <see cref="Identified"/>.</summary>
    public Identified ExpectIdentified(TimeSpan? timeout = null)
    {
        var next = Events.ReceiveOne(timeout);
        if (next is Connected connected)
        {
            _connection = connected.Connection;
            next = Events.ReceiveOne(timeout);
        }

        if (next is not Identified identified)
        {
            throw new XunitException($"expected Identified, got {Describe(next)}");
        }

        _connection = identified.Connection;
        return identified;
    }

    /// <summary>
    /// Expects the next packet to be of <paramref name="type"/> and, when given, to satisfy <paramref name="matches"/>;
    /// fails naming the packet that came instead.
    /// </summary>
    public Packet ExpectPacket(string type, Func<Packet, bool>? matches = null, TimeSpan? timeout = null)
    {
        var next = Packets.ReceiveOne(timeout);
        if (next is not Received received)
        {
            throw new XunitException($"expected a {type} packet, got {Describe(next)}");
        }

        if (received.Packet.Type != type)
        {
            throw new XunitException($"expected a {type} packet{(matches is null ? "" : " that matches")}, got {received.Packet}");
        }

        bool matched;
        try
        {
            matched = matches is null || matches(received.Packet);
        }
        catch (Exception e) when (e is not XunitException)
        {
            // A predicate that reads a field the packet lacks says nothing useful by itself: show the packet it was asked about.
            throw new XunitException($"expected a {type} packet that matches, got {received.Packet}; the predicate threw {e.GetType().Name}: {e.Message}", e);
        }

        if (!matched)
        {
            throw new XunitException($"expected a {type} packet that matches, got {received.Packet}");
        }

        return received.Packet;
    }

    /// <summary>Expects no packet for <paramref name="duration"/> (dilated default when null).</summary>
    public void ExpectNoPacket(TimeSpan? duration = null)
    {
        if (duration is { } given)
        {
            Packets.ExpectNoMsg(given);
        }
        else
        {
            Packets.ExpectNoMsg();
        }
    }

    /// <summary>Expects the connection to end, for <paramref name="reason"/> when given.</summary>
    public Disconnected ExpectDisconnected(DisconnectReason? reason = null, TimeSpan? timeout = null)
    {
        var disconnected = Events.FishForMessage<Disconnected>(_ => true, timeout);
        if (reason is { } expected && disconnected.Reason != expected)
        {
            throw new XunitException($"expected the connection to end as {expected}, it ended as {disconnected.Reason} ({disconnected.Detail})");
        }

        return disconnected;
    }

    /// <summary>Sends <paramref name="packet"/> on <see cref="Connection"/>.</summary>
    public void Send(Packet packet) => Connection.Tell(new Send(packet));

    private static string Describe(object? message) => message is null ? "nothing within the timeout" : message.ToString() ?? message.GetType().Name;

    private sealed class Relay : ReceiveActor
    {
        public Relay(IActorRef packets, IActorRef events, IActorRef failedAttempts)
        {
            Receive<Received>(received => packets.Forward(received));
            Receive<ConnectAttemptFailed>(failed => failedAttempts.Forward(failed));
            ReceiveAny(message => events.Forward(message));
        }
    }
}
