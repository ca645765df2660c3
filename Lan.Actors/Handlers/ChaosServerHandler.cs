using System.Globalization;
using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Protocol;

namespace Lan.Actors.Handlers;

/// <summary>How a <see cref="ChaosServerHandler"/> behaves.</summary>
/// <param name="CloseProbability">q: the chance that a <c>MESSAGE</c> makes the server close that connection.</param>
/// <param name="Seed">The seed of its choices.</param>
public sealed record ChaosServerOptions(double CloseProbability = 0.1, int Seed = 1)
{
    /// <summary>Throws when a value cannot work.</summary>
    /// <exception cref="ArgumentOutOfRangeException">CloseProbability is outside 0..1.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(CloseProbability, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(CloseProbability, 1);
    }
}

/// <summary>
/// The first seed's impatient server as a shared handler for a server node: it answers each <c>MESSAGE</c>
/// with the same packet, or, with probability q, closes that connection (<c>DISCONNECT</c>) instead. Each
/// choice is a hash of the seed and the message's text, so the same traffic meets the same choices however
/// the connections interleave. Every end is published as <see cref="ChaosConnectionEnded"/>.
/// </summary>
public sealed class ChaosServerHandler : ReceiveActor
{
    private readonly ChaosServerOptions _options;
    private readonly Dictionary<IActorRef, Tally> _connections = [];

    /// <summary>Creates the handler; <see cref="Create"/> makes its Props.</summary>
    public ChaosServerHandler(ChaosServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Receive<Connected>(connected => _connections[connected.Connection] = new Tally(connected.Peer.Id));
        Receive<Identified>(identified =>
        {
            var tally = TallyOf(identified.Connection);
            tally.Peer = identified.Peer.Name;
            tally.Identified = true;
        });
        Receive<Received>(received => received.Packet.Type == PacketTypes.Message, received =>
        {
            var tally = TallyOf(received.Connection);
            tally.Messages++;
            if (tally.Closed)
            {
                return;
            }

            var text = received.Packet.TryGet<string>("TEXT", out var said) ? said : "";
            if (Chance(_options.Seed, text) < _options.CloseProbability)
            {
                tally.Closed = true;
                received.Connection.Tell(new Close("the chaos server closed the connection"));
            }
            else
            {
                received.Connection.Tell(new Send(received.Packet));
            }
        });
        Receive<Disconnected>(disconnected =>
        {
            var tally = _connections.Remove(disconnected.Connection, out var known) ? known : new Tally(disconnected.Peer.Id);
            Context.System.EventStream.Publish(new ChaosConnectionEnded(tally.Peer, disconnected.Reason, tally.Closed, tally.Messages, tally.Identified));
        });
        Receive<Received>(_ => { });
        Receive<SendRefused>(_ => { });
    }

    /// <summary>Props for a server node's shared handler.</summary>
    public static Props Create(ChaosServerOptions options) => Props.Create(() => new ChaosServerHandler(options));

    /// <summary>A number in [0, 1) that depends only on the seed and the text (FNV-1a, 64 bits).</summary>
    internal static double Chance(int seed, string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in seed.ToString(CultureInfo.InvariantCulture) + "\n" + text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        // The top 53 bits fill a double's mantissa exactly.
        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    private Tally TallyOf(IActorRef connection)
    {
        if (!_connections.TryGetValue(connection, out var tally))
        {
            tally = new Tally("?");
            _connections[connection] = tally;
        }

        return tally;
    }

    private sealed class Tally(string peer)
    {
        public string Peer { get; set; } = peer;

        public int Messages { get; set; }

        public bool Closed { get; set; }

        public bool Identified { get; set; }
    }
}
