using Akka.Actor;
using Lan.Actors.Io;
using Lan.Actors.Protocol;
using Lan.Actors.Security;

namespace Lan.Actors.Handlers;

/// <summary>Told to the pairing's listener: the code to show, with the peer as it proved itself in TLS.</summary>
/// <param name="Peer">The other node: its proven ID and the name it chose.</param>
/// <param name="Code">Six digits, "123 456", which the other screen shows too unless someone is in the middle.</param>
public sealed record PairingCodeReady(PeerInfo Peer, string Code);

/// <summary>Tells the pairing handler what the person answered to <see cref="PairingCodeReady"/>.</summary>
/// <param name="Same">True when the person saw the same code on both screens.</param>
public sealed record ConfirmPairing(bool Same);

/// <summary>Told to the listener once both people confirmed: the peer may be trusted.</summary>
public sealed record Paired(PeerInfo Peer);

/// <summary>Told to the listener when the pairing ended without both confirmations; nothing is to be trusted.</summary>
public sealed record PairingFailed(string Reason);

/// <summary>
/// One pairing, on a node in TLS mode, over its first connection (numeric comparison): the connecting side commits to a
/// nonce (PAIR_COMMIT), the accepting side answers with its nonce, the connecting side opens its commitment, and both
/// derive the <see cref="PairingCode"/> from both proven IDs and both nonces. Each person compares the codes and says
/// yes or no; each side says PAIR_CONFIRM, and <see cref="Paired"/> comes only when both said yes. A second connection
/// while one pairing runs is closed: a third node answering changes nothing. The listener stores the trust.
/// </summary>
public sealed class PairingHandler : ReceiveActor
{
    private readonly IActorRef _listener;
    private readonly NodeId _self;
    private IActorRef? _connection;
    private PeerInfo? _peer;
    private NodeId? _peerId;
    private byte[]? _ownNonce;
    private byte[]? _theirCommit;
    private bool? _ourAnswer;
    private bool _theirYes;
    private bool _done;
    private bool _codeShown;

    /// <param name="self">This node's ID.</param>
    /// <param name="listener">Told <see cref="PairingCodeReady"/>, then <see cref="Paired"/> or <see cref="PairingFailed"/>; answers with <see cref="ConfirmPairing"/>.</param>
    public PairingHandler(NodeId self, IActorRef listener)
    {
        _self = self;
        _listener = listener;
        Receive<Identified>(OnIdentified);
        Receive<Received>(OnReceived);
        Receive<ConfirmPairing>(OnAnswer);
        Receive<Disconnected>(disconnected =>
        {
            if (disconnected.Connection.Equals(_connection))
            {
                Fail($"the connection to {PeerText.ForDisplay(disconnected.Peer.Name)} ended: {disconnected.Reason} ({PeerText.ForDisplay(disconnected.Detail)})");
            }
        });
        Receive<Connected>(_ => { });
        Receive<ConnectAttemptFailed>(_ => { });
        Receive<SendRefused>(_ => { });
    }

    /// <summary>Props of the handler for the node <paramref name="self"/>.</summary>
    public static Props Props(NodeId self, IActorRef listener) => Akka.Actor.Props.Create(() => new PairingHandler(self, listener));

    private void OnIdentified(Identified identified)
    {
        if (_connection is not null || _done || !NodeId.TryParse(identified.Peer.Id, out var id, out _))
        {
            identified.Connection.Tell(new Close("this node is pairing with another node already"));
            return;
        }

        _connection = identified.Connection;
        _peer = identified.Peer;
        _peerId = id;
        _ownNonce = PairingCode.NewNonce();
        if (!identified.Peer.Inbound)
        {
            // This side connected: it commits first.
            Send(new PairCommit(Convert.ToBase64String(PairingCode.Commit(_ownNonce))));
        }
    }

    private void OnReceived(Received received)
    {
        if (!received.Connection.Equals(_connection) || _done)
        {
            return;
        }

        var packet = received.Packet;
        if (packet.TryAs<PairCommit>(out var commit) && _peer!.Inbound && _theirCommit is null)
        {
            _theirCommit = FromBase64(commit.Commit);
            Send(new PairNonce(Convert.ToBase64String(_ownNonce!)));
        }
        else if (packet.TryAs<PairNonce>(out var nonce) && FromBase64(nonce.Nonce) is { } theirs)
        {
            OnNonce(theirs);
        }
        else if (packet.TryAs<PairConfirm>(out var confirm))
        {
            _theirYes = confirm.Yes;
            if (!confirm.Yes)
            {
                Fail($"{PeerText.ForDisplay(_peer!.Name)} said the codes differ");
                return;
            }

            FinishIfBothSaidYes();
        }
    }

    private void OnNonce(byte[] theirs)
    {
        if (_codeShown)
        {
            return;
        }

        _codeShown = true;
        string code;
        if (_peer!.Inbound)
        {
            // The connecting side opens its commitment: a nonce that does not match it is an attack or a fault.
            if (_theirCommit is null || !PairingCode.Opens(_theirCommit, theirs))
            {
                Fail("the other node's nonce does not match what it committed to");
                return;
            }

            code = PairingCode.Derive(_peerId!, _self, theirs, _ownNonce!);
        }
        else
        {
            Send(new PairNonce(Convert.ToBase64String(_ownNonce!)));
            code = PairingCode.Derive(_self, _peerId!, _ownNonce!, theirs);
        }

        _listener.Tell(new PairingCodeReady(_peer, code));
    }

    private void OnAnswer(ConfirmPairing answer)
    {
        if (_connection is null || _done)
        {
            return;
        }

        _ourAnswer = answer.Same;
        Send(new PairConfirm(answer.Same));
        if (!answer.Same)
        {
            Fail("the codes differ: nothing is trusted");
            return;
        }

        FinishIfBothSaidYes();
    }

    private void FinishIfBothSaidYes()
    {
        if (_ourAnswer == true && _theirYes && !_done)
        {
            _done = true;
            _listener.Tell(new Paired(_peer!));
            _connection!.Tell(new Close("paired"));
        }
    }

    private void Fail(string reason)
    {
        if (_done)
        {
            return;
        }

        _done = true;
        _listener.Tell(new PairingFailed(reason));
        _connection?.Tell(new Close("pairing ended"));
    }

    private void Send<T>(T typed)
        where T : ITypedPacket<T> => _connection!.Tell(new Send(Packet.From(typed)));

    private static byte[]? FromBase64(string text)
    {
        var bytes = new byte[64];
        return Convert.TryFromBase64String(text, bytes, out var length) ? bytes[..length] : null;
    }
}
