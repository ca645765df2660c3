using System.Net.Security;
using System.Net.Sockets;

namespace Lan.Actors.Io;

/// <summary>
/// The bytes of one connection, below the framing: the socket itself in open mode, or a TLS stream over it. The
/// connection actor still owns the socket (its linger, its disposal); the link is only the way bytes go in and out,
/// so the reader, the writer and the close are the same code in both modes.
/// </summary>
internal abstract class ByteLink : IDisposable
{
    /// <summary>The socket's own bytes: the seeds' plaintext.</summary>
    public static ByteLink Plain(Socket socket) => new PlainLink(socket);

    /// <summary>The bytes of a TLS session already authenticated over the socket.</summary>
    public static ByteLink Tls(SslStream stream, Socket socket) => new TlsLink(stream, socket);

    /// <summary>True when the bytes are encrypted.</summary>
    public abstract bool IsEncrypted { get; }

    /// <summary>Waits until bytes can be read, without holding a buffer meanwhile (a zero-byte read; its result means nothing).</summary>
    /// <remarks>The read's own pooled ValueTask is handed on, so an idle wait allocates nothing.</remarks>
    public abstract ValueTask<int> WaitForBytesAsync();

    /// <summary>Reads what has arrived into <paramref name="buffer"/>; 0 at the end of the stream.</summary>
    public abstract ValueTask<int> ReadAsync(Memory<byte> buffer);

    /// <summary>Writes from <paramref name="bytes"/>; how many were written, which may be fewer than given.</summary>
    public abstract ValueTask<int> WriteAsync(ReadOnlyMemory<byte> bytes);

    /// <summary>Says that nothing more will be sent (a TLS close_notify first, then the socket's send half shut).</summary>
    /// <exception cref="SocketException">The socket is gone.</exception>
    public abstract Task ShutdownSendAsync();

    /// <inheritdoc/>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees what the link holds beside the socket, which its owner disposes.</summary>
    protected virtual void Release()
    {
    }

    private sealed class PlainLink(Socket socket) : ByteLink
    {
        public override bool IsEncrypted => false;

        public override ValueTask<int> WaitForBytesAsync() =>
            socket.Available > 0 ? ValueTask.FromResult(0) : socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer) => socket.ReceiveAsync(buffer, SocketFlags.None);

        public override ValueTask<int> WriteAsync(ReadOnlyMemory<byte> bytes) => socket.SendAsync(bytes, SocketFlags.None);

        public override Task ShutdownSendAsync()
        {
            socket.Shutdown(SocketShutdown.Send);
            return Task.CompletedTask;
        }
    }

    private sealed class TlsLink(SslStream stream, Socket socket) : ByteLink
    {
        public override bool IsEncrypted => true;

        // SslStream answers a zero-byte read at once when it holds decrypted bytes, and otherwise waits on the socket.
        public override ValueTask<int> WaitForBytesAsync() => stream.ReadAsync(Memory<byte>.Empty);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer) => stream.ReadAsync(buffer);

        public override ValueTask<int> WriteAsync(ReadOnlyMemory<byte> bytes)
        {
            var writing = stream.WriteAsync(bytes);
            return writing.IsCompletedSuccessfully ? ValueTask.FromResult(bytes.Length) : Written(writing, bytes.Length);
        }

        public override async Task ShutdownSendAsync()
        {
            await stream.ShutdownAsync().ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
        }

        protected override void Release() => stream.Dispose();

        private static async ValueTask<int> Written(ValueTask writing, int length)
        {
            await writing.ConfigureAwait(false);
            return length;
        }
    }
}
