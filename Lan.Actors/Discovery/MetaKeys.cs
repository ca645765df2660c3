namespace Lan.Actors.Discovery;

/// <summary>META keys the library itself announces and reads; a user's own META should use other names.</summary>
public static class MetaKeys
{
    /// <summary>
    /// The name of a group of servers that serve as one (a cluster): a client told to connect to that name
    /// (<c>lan.client.auto-connect</c>) may be given any of them, and takes the least loaded.
    /// </summary>
    public const string Group = "cluster";

    /// <summary>How busy a server is, a whole number (its connections); a client choosing among a group takes the lowest.</summary>
    public const string Load = "load";
}
