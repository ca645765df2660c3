namespace Lan.Actors.Security;

/// <summary>The node's identity or trust store cannot be read or written; the message says what to do.</summary>
public sealed class IdentityException : Exception
{
    /// <summary>An error with a message that tells the user what to do.</summary>
    public IdentityException(string message)
        : base(message)
    {
    }

    /// <summary>An error caused by <paramref name="inner"/>.</summary>
    public IdentityException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
