namespace Lan.Actors.Protocol;

/// <summary>
/// Bad input from a peer, or a packet that cannot be sent within the limits. The stream it came from
/// cannot be trusted to stay in sync, so a connection that sees one closes.
/// </summary>
public sealed class ProtocolException : Exception
{
    /// <summary>Creates the exception with a reason code and a message that says what to do.</summary>
    public ProtocolException(ProtocolError reason, string message)
        : base(message) => Reason = reason;

    /// <summary>Creates the exception with a reason code, a message and the error that revealed it.</summary>
    public ProtocolException(ProtocolError reason, string message, Exception? innerException)
        : base(message, innerException) => Reason = reason;

    /// <summary>Creates an <see cref="ProtocolError.InvalidJson"/> exception; prefer the constructors with a reason.</summary>
    public ProtocolException()
        : this(ProtocolError.InvalidJson, "the packet violates the Lan.Actors protocol") { }

    /// <summary>Creates an <see cref="ProtocolError.InvalidJson"/> exception; prefer the constructors with a reason.</summary>
    public ProtocolException(string message)
        : this(ProtocolError.InvalidJson, message) { }

    /// <summary>Creates an <see cref="ProtocolError.InvalidJson"/> exception; prefer the constructors with a reason.</summary>
    public ProtocolException(string message, Exception? innerException)
        : this(ProtocolError.InvalidJson, message, innerException) { }

    /// <summary>Which rule of the protocol the input broke.</summary>
    public ProtocolError Reason { get; }
}
