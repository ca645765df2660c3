namespace Lan.Node.Demo;

/// <summary>The closing summary: what happened, the reason each end was given, and what was left over.</summary>
internal static class DemoSummary
{
    public static void Write(DemoOutcome outcome, TextWriter output)
    {
        var ledger = outcome.Ledger;
        var mismatches = ledger.Mismatches();
        output.WriteLine();
        output.WriteLine($"summary: {ledger.Sessions.Count} connections, {ledger.Messages} messages, {ledger.Reconnected} reconnections");
        output.WriteLine($"  said goodbye     {ledger.SaidGoodbye,5}   the server saw Requested");
        output.WriteLine($"  vanished         {ledger.Vanished,5}   the server saw Dropped (a reset, no DISCONNECT)");
        output.WriteLine($"  closed by server {ledger.ClosedByServer,5}   the client saw ServerClosed and reconnected");
        output.WriteLine($"  clients stopped at the end {outcome.StoppedByDemo,3}   DISCONNECT, Requested on both sides");
        if (ledger.Abandoned > 0)
        {
            output.WriteLine($"  abandoned        {ledger.Abandoned,5}   stopped while connecting, before its HELLO: Dropped at the server");
        }

        output.WriteLine(mismatches.Count == 0
            ? "  every connection ended for the reason supervision assigned to what its sides did"
            : $"  {mismatches.Count} connections ended for another reason than their sides' actions:");
        foreach (var mismatch in mismatches.Take(10))
        {
            output.WriteLine($"    {mismatch}");
        }

        output.WriteLine($"left over: {outcome.PeersLeft} peers at the server, {outcome.ActorsLeft} actors under /user, {outcome.SocketsLeft} sockets");
    }
}
