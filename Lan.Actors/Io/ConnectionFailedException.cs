namespace Lan.Actors.Io;

/// <summary>
/// A connection actor fails with this when its connection ends for a reason it did not choose; its
/// supervisor stops it (a listener) or reconnects with back-off (a client), and the handler is told
/// <see cref="Disconnected"/> with <see cref="Reason"/>.
/// </summary>
public class ConnectionFailedException : Exception
{
    /// <summary>Creates the exception for an unspecified failure.</summary>
    public ConnectionFailedException()
        : this(DisconnectReason.Dropped, "the connection failed")
    {
    }

    /// <summary>Creates the exception with a message, as a drop.</summary>
    public ConnectionFailedException(string message)
        : this(DisconnectReason.Dropped, message)
    {
    }

    /// <summary>Creates the exception with a message and its cause, as a drop.</summary>
    public ConnectionFailedException(string message, Exception? innerException)
        : this(DisconnectReason.Dropped, message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="reason"/>.</summary>
    public ConnectionFailedException(DisconnectReason reason, string message, Exception? innerException = null)
        : base(message, innerException) =>
        Reason = reason;

    /// <summary>Why the connection ended; what the handler's <see cref="Disconnected"/> says.</summary>
    public DisconnectReason Reason { get; }
}

/// <summary>The peer vanished without <c>DISCONNECT</c>: a reset, or the end of its stream (also mid-frame).</summary>
internal sealed class PeerDroppedException : ConnectionFailedException
{
    /// <summary>Creates the exception.</summary>
    public PeerDroppedException()
        : base(DisconnectReason.Dropped, "the peer dropped the connection")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PeerDroppedException(string message)
        : base(DisconnectReason.Dropped, message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public PeerDroppedException(string message, Exception? innerException)
        : base(DisconnectReason.Dropped, message, innerException)
    {
    }
}

/// <summary>The server closed the connection of this client; the client reconnects with back-off.</summary>
internal sealed class ServerClosedException : ConnectionFailedException
{
    /// <summary>Creates the exception.</summary>
    public ServerClosedException()
        : base(DisconnectReason.ServerClosed, "the server closed the connection")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ServerClosedException(string message)
        : base(DisconnectReason.ServerClosed, message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ServerClosedException(string message, Exception? innerException)
        : base(DisconnectReason.ServerClosed, message, innerException)
    {
    }
}
