using Akka.Actor;
using Lan.Actors.Handlers;

namespace Lan.Node.Demo;

/// <summary>Counts of a demo run at one moment, for the live table.</summary>
internal sealed record DemoSnapshot(int Sessions, int SaidGoodbye, int Vanished, int ClosedByServer, int Reconnected, long Messages, IReadOnlyList<string> FinishedClients);

/// <summary>Asks the tally for a <see cref="DemoSnapshot"/>.</summary>
internal sealed record GetSnapshot
{
    public static GetSnapshot Instance { get; } = new();
}

/// <summary>Asks the tally for its <see cref="ChaosLedger"/>, once the run is over.</summary>
internal sealed record GetLedger
{
    public static GetLedger Instance { get; } = new();
}

/// <summary>Listens to the chaos handlers' events on the event stream and keeps both sides' account.</summary>
internal sealed class DemoTally : ReceiveActor
{
    private readonly ChaosLedger _ledger = new();
    private readonly List<string> _finished = [];

    public DemoTally()
    {
        Receive<ChaosSessionEnded>(session =>
        {
            _ledger.Record(session);
            if (session.Action != ChaosClientAction.None)
            {
                _finished.Add(session.Client);
            }
        });
        Receive<ChaosConnectionEnded>(_ledger.Record);
        Receive<GetSnapshot>(_ => Sender.Tell(new DemoSnapshot(
            _ledger.Sessions.Count, _ledger.SaidGoodbye, _ledger.Vanished, _ledger.ClosedByServer, _ledger.Reconnected, _ledger.Messages, [.. _finished])));
        Receive<GetLedger>(_ => Sender.Tell(_ledger));
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(ChaosSessionEnded));
        Context.System.EventStream.Subscribe(Self, typeof(ChaosConnectionEnded));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
