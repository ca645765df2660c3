using Lan.Actors.Handlers;
using Lan.Actors.Io;

namespace Lan.Actors.Tests.Handlers;

/// <summary>The ledger agrees only when the server saw, for each client, the ends its client's actions mean.</summary>
public sealed class ChaosLedgerSpec
{
    [Fact]
    public void MatchingAccounts_HaveNoMismatch()
    {
        var ledger = new ChaosLedger();
        ledger.Record(new ChaosSessionEnded("a", 1, ChaosClientAction.None, DisconnectReason.ServerClosed, 3));
        ledger.Record(new ChaosSessionEnded("a", 2, ChaosClientAction.Vanished, DisconnectReason.Aborted, 1));
        ledger.Record(new ChaosSessionEnded("b", 1, ChaosClientAction.SaidGoodbye, DisconnectReason.Requested, 10));
        ledger.Record(new ChaosConnectionEnded("a", DisconnectReason.Dropped, false, 1));
        ledger.Record(new ChaosConnectionEnded("a", DisconnectReason.ServerClosed, true, 3));
        ledger.Record(new ChaosConnectionEnded("b", DisconnectReason.Requested, false, 10));

        Assert.Empty(ledger.Mismatches());
        Assert.True(ledger.Settled);
        Assert.Equal((1, 1, 1, 1, 14L), (ledger.SaidGoodbye, ledger.Vanished, ledger.ClosedByServer, ledger.Reconnected, ledger.Messages));
    }

    [Fact]
    public void AVanishedClientThatTheServerSawLeaveCleanly_IsAMismatch_NamingTheClient()
    {
        var ledger = new ChaosLedger();
        ledger.Record(new ChaosSessionEnded("ghost", 1, ChaosClientAction.Vanished, DisconnectReason.Aborted, 2));
        ledger.Record(new ChaosConnectionEnded("ghost", DisconnectReason.Requested, false, 2));

        var mismatch = Assert.Single(ledger.Mismatches());
        Assert.Equal("ghost: the client's account means [Dropped] at the server, which saw [Requested]", mismatch);
    }

    [Fact]
    public void AServerCloseReportedAsSomethingElse_AndAnUnexplainedEnd_AreMismatches()
    {
        var ledger = new ChaosLedger();
        ledger.Record(new ChaosSessionEnded("c", 1, ChaosClientAction.None, DisconnectReason.HeartbeatTimeout, 0));
        ledger.Record(new ChaosConnectionEnded("c", DisconnectReason.HeartbeatTimeout, true, 0));

        var mismatches = ledger.Mismatches();
        Assert.Contains("c session 1 ended as HeartbeatTimeout without either side's doing", mismatches);
        Assert.Contains("the server closed c, yet its side ended as HeartbeatTimeout", mismatches);
    }

    [Fact]
    public void AServerCloseOvertakenByTheClientsOwnGoodbye_IsNoMismatch_WhenTheClientsAccountSaysItLeft()
    {
        // The run ends: the client's node says DISCONNECT just as the server decides to close it; the DISCONNECT wins.
        var ledger = new ChaosLedger();
        ledger.Record(new ChaosSessionEnded("d", 1, ChaosClientAction.None, DisconnectReason.Requested, 4));
        ledger.Record(new ChaosConnectionEnded("d", DisconnectReason.Requested, true, 4));

        Assert.Empty(ledger.Mismatches());
    }

    [Fact]
    public void AServerCloseSeenAsAGoodbye_WhileTheClientSaysTheServerClosedIt_IsStillAMismatch()
    {
        var ledger = new ChaosLedger();
        ledger.Record(new ChaosSessionEnded("e", 1, ChaosClientAction.None, DisconnectReason.ServerClosed, 4));
        ledger.Record(new ChaosConnectionEnded("e", DisconnectReason.Requested, true, 4));

        Assert.Equal("e: the client's account means [ServerClosed] at the server, which saw [Requested]", Assert.Single(ledger.Mismatches()));
    }

    [Fact]
    public void AConnectionAbandonedBeforeItsHello_IsCountedApart_NotAMismatch()
    {
        var ledger = new ChaosLedger();
        ledger.Record(new ChaosConnectionEnded("anon-7", DisconnectReason.Dropped, false, 0, Identified: false));

        Assert.Empty(ledger.Mismatches());
        Assert.Equal(1, ledger.Abandoned);
        Assert.True(ledger.Settled);
    }

    [Fact]
    public void AnAnonymousConnectionThatCarriedMessages_IsAMismatch()
    {
        var ledger = new ChaosLedger();
        ledger.Record(new ChaosConnectionEnded("anon-8", DisconnectReason.Dropped, false, 3, Identified: false));

        Assert.Equal("anon-8 never said HELLO, yet ended as Dropped after 3 messages", Assert.Single(ledger.Mismatches()));
    }
}
