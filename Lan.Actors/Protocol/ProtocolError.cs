namespace Lan.Actors.Protocol;

/// <summary>Why a frame, datagram or packet was refused. Each value names one rule of docs/PROTOCOL.md.</summary>
public enum ProtocolError
{
    /// <summary>The 4-byte length prefix announces more JSON than <c>lan.protocol.max-frame-size</c> allows.</summary>
    FrameTooLarge = 1,

    /// <summary><c>CL</c> announces more content than <c>lan.protocol.max-content-size</c> allows, or content on a datagram.</summary>
    ContentTooLarge,

    /// <summary>A frame or datagram with zero bytes of JSON.</summary>
    EmptyFrame,

    /// <summary>The JSON bytes are not valid UTF-8, or a string escape encodes an unpaired surrogate.</summary>
    InvalidUtf8,

    /// <summary>The bytes are not one well-formed JSON value, or <c>CL</c> is not a whole number ≥ 0.</summary>
    InvalidJson,

    /// <summary>The JSON value is well-formed but is not an object.</summary>
    NotAnObject,

    /// <summary>The object has no <c>TYPE</c> field.</summary>
    MissingType,

    /// <summary><c>TYPE</c> is not a string matching <c>[A-Z0-9_]{1,64}</c>, is escaped, or appears twice.</summary>
    InvalidType,

    /// <summary>The JSON nests objects and arrays deeper than <c>lan.protocol.max-depth</c>.</summary>
    TooDeep,

    /// <summary>The stream ended in the middle of a frame or its content.</summary>
    TruncatedFrame,

    /// <summary>A datagram is longer than <c>lan.protocol.max-datagram-size</c>.</summary>
    DatagramTooLarge,
}
