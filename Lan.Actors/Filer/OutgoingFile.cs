namespace Lan.Actors.Filer;

/// <summary>
/// One file a <see cref="FileSenderHandler"/> is sending: the open file, its hash, and the window's bookkeeping (where
/// the receiver asked to start, what was sent, what was acknowledged), each step checked against what the receiver says.
/// </summary>
internal sealed class OutgoingFile(string id, string path, string name, long size, DateTime writtenAt, FileStream stream) : IDisposable
{
    public string Id { get; } = id;

    public string Path { get; } = path;

    public string Name { get; } = name;

    public long Size { get; } = size;

    public DateTime WrittenAt { get; } = writtenAt;

    /// <summary>Cancels the background hashing when the transfer ends first.</summary>
    public CancellationTokenSource Hashing { get; } = new();

    /// <summary>The file's SHA-256, once known: from the offer, or when the background hashing ends.</summary>
    public string? Sha256 { get; set; }

    /// <summary>The hash, known or being computed; null only while a small file's offer is being made.</summary>
    public Task<string>? HashTask { get; set; }

    /// <summary>The end offsets of the chunks sent and not yet acknowledged, oldest first.</summary>
    public Queue<long> InFlight { get; } = new();

    public bool Accepted { get; private set; }

    /// <summary>The offset of the next chunk to send.</summary>
    public long Next { get; private set; }

    /// <summary>Every byte before this one is written and flushed at the receiver.</summary>
    public long Acked { get; private set; }

    public bool DoneSent { get; set; }

    /// <summary>The receiver accepted from <paramref name="from"/>; false when that is not within the file.</summary>
    public bool TryStartAt(long from)
    {
        if (from < 0 || from > Size)
        {
            return false;
        }

        Accepted = true;
        Next = from;
        Acked = from;
        stream.Seek(from, SeekOrigin.Begin);
        return true;
    }

    /// <summary>The receiver has every byte before <paramref name="upto"/>; false when it acknowledges bytes never sent, or goes back.</summary>
    public bool TryAcknowledge(long upto)
    {
        if (upto < Acked || upto > Next)
        {
            return false;
        }

        Acked = upto;
        while (InFlight.Count > 0 && InFlight.Peek() <= upto)
        {
            InFlight.Dequeue();
        }

        return true;
    }

    /// <summary>Reads the next chunk of at most <paramref name="chunkSize"/> bytes at <see cref="Next"/>, and counts it in flight.</summary>
    public byte[] ReadChunk(int chunkSize)
    {
        var bytes = new byte[(int)Math.Min(chunkSize, Size - Next)];
        stream.ReadExactly(bytes);
        Next += bytes.Length;
        InFlight.Enqueue(Next);
        return bytes;
    }

    public void Dispose() => Dispose(keepHashing: false);

    /// <summary>Closes the file; the background hashing goes on when <paramref name="keepHashing"/> (a cut file waits for it).</summary>
    public void Dispose(bool keepHashing)
    {
        if (!keepHashing)
        {
            Hashing.Cancel();
            Hashing.Dispose();
        }

        stream.Dispose();
    }
}
