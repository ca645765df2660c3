namespace Lan.Actors.Io;

/// <summary>
/// Which occurrences of something a peer can repeat at will (a refused connection, a server left out of a full table)
/// are logged: the 1st, 10th, 100th, 1,000th…, each line with the count so far, so a flood of them is no flood of log lines.
/// </summary>
internal static class DecadeLog
{
    public static bool IsLogged(long occurrence)
    {
        if (occurrence < 1)
        {
            return false;
        }

        while (occurrence % 10 == 0)
        {
            occurrence /= 10;
        }

        return occurrence == 1;
    }
}
