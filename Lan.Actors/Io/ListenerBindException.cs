using System.Net.Sockets;

namespace Lan.Actors.Io;

/// <summary>A server node could not listen on <c>lan.tcp.bind-host</c>:<c>lan.tcp.port</c>; the message says why and what to change.</summary>
public sealed class ListenerBindException : InvalidOperationException
{
    /// <summary>Creates the exception for a listener that could not bind <paramref name="host"/>:<paramref name="port"/>.</summary>
    public ListenerBindException(string host, int port, SocketError? error, string message)
        : base(message)
    {
        Host = host;
        Port = port;
        Error = error;
    }

    /// <summary>The address the listener tried (<c>lan.tcp.bind-host</c>).</summary>
    public string Host { get; }

    /// <summary>The port the listener tried (<c>lan.tcp.port</c>).</summary>
    public int Port { get; }

    /// <summary>The socket error, when the OS refused the bind; null when the host name did not resolve.</summary>
    public SocketError? Error { get; }

    /// <summary>True when another socket has the port already.</summary>
    public bool PortInUse => Error == SocketError.AddressAlreadyInUse;
}
