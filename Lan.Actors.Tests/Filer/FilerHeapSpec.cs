using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Akka.Actor;
using Lan.Actors.Filer;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Filer;

/// <summary>
/// A large file goes from sender to receiver (both in this process, over loopback) while a sampler watches the
/// managed heap: it must stay flat, the file streamed in chunks rather than held. 1 GiB (issue 12; some 15 s
/// on a loaded 2-core machine); <c>LAN_FILER_HEAP_BYTES</c> sets another size.
/// </summary>
[Collection(CountedAloneCollection.Name)]
public sealed class FilerHeapSpec : LanTestKit, IDisposable
{
    private const long DefaultSize = 1024L * 1024 * 1024;
    private const long HeapLimit = 100L * 1024 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    private readonly TempFolder _temp = new("filer-heap");
    private readonly ITestOutputHelper _output;

    public FilerHeapSpec(ITestOutputHelper output)
        : base("lan.tcp { port = 0, close-timeout = 300ms }\nakka.loglevel = WARNING", output) => _output = output;

    [Fact]
    public async Task ALargeTransfer_KeepsTheManagedHeapFlat_AndArrivesWithTheSameSha256()
    {
        var size = Environment.GetEnvironmentVariable("LAN_FILER_HEAP_BYTES") is { Length: > 0 } configured
            ? long.Parse(configured, CultureInfo.InvariantCulture)
            : DefaultSize;
        var free = new DriveInfo(_temp.Path).AvailableFreeSpace;
        // The source (sparse, but counted whole to be safe), the .part and some room to spare.
        if (free < (2 * size) + (1024L * 1024 * 1024))
        {
            _output.WriteLine($"skipped: {free:N0} bytes free in {_temp.Path}, {(2 * size) + (1024L * 1024 * 1024):N0} needed");
            return;
        }

        var clock = Stopwatch.StartNew();
        var source = WriteSparseFile(Path.Combine(_temp.Sub("outbox"), "large.bin"), size);
        var expected = Sha256(source);
        _output.WriteLine($"{size:N0} bytes written and hashed in {clock.Elapsed.TotalSeconds:F1} s");

        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events.Ref, typeof(TransferCompleted));
        Sys.EventStream.Subscribe(events.Ref, typeof(TransferFailed));
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), FileReceiverHandler.Props(new FileReceiverOptions(_temp.Sub("inbox"))));
        var sender = Sys.ActorOf(FileSenderHandler.Props());
        LanNode.StartClient(Sys, LanNodeSettings.FromConfig(LanConfig), Forwarder.To(sender)).Connect(server.LocalEndPoint);

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var baselineHeapSize = GC.GetGCMemoryInfo().HeapSizeBytes;
        using var stop = new CancellationTokenSource();
        var sampler = SampleHeapAsync(stop.Token);
        clock.Restart();
        sender.Tell(new SendFile(source));
        var received = new List<TransferCompleted>();
        while (received.Count < 2)
        {
            var next = events.ExpectMsg<object>(Patience);
            received.Add(next as TransferCompleted ?? throw new Xunit.Sdk.XunitException($"expected completed transfers, got {next}"));
        }

        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        var (peak, peakHeapSize, samples) = await sampler;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"transfer: {elapsed.TotalSeconds:F1} s, {size / 1048576.0 / elapsed.TotalSeconds:F0} MiB/s; heap baseline {baseline / 1048576.0:F1} MiB, peak {peak / 1048576.0:F1} MiB (+{(peak - baseline) / 1048576.0:F1}), heap size after a GC {baselineHeapSize / 1048576.0:F1} MiB, peak {peakHeapSize / 1048576.0:F1} MiB, {samples} samples"));

        var done = Assert.Single(received, completed => completed.Direction == TransferDirection.Receiving);
        Assert.Equal(size, new FileInfo(done.Path).Length);
        Assert.Equal(expected, Sha256(done.Path));
        Assert.True(samples > 0, "the sampler took no sample");
        Assert.True(peak - baseline < HeapLimit, $"the managed heap grew by {peak - baseline:N0} bytes during the transfer");
        Assert.True(peakHeapSize - baselineHeapSize < HeapLimit, $"the heap after a GC grew to {peakHeapSize:N0} bytes from {baselineHeapSize:N0}");
    }

    public new void Dispose()
    {
        base.Dispose();
        _temp.Dispose();
    }

    /// <summary>A sparse file of <paramref name="size"/> bytes with 64 KiB of pseudo-random bytes every 4 MiB: fast to write, a real SHA-256.</summary>
    private static string WriteSparseFile(string path, long size)
    {
        const int Block = 64 * 1024;
        const long Every = 4L * 1024 * 1024;
        var random = new Random(12);
        var bytes = new byte[Block];
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.SetLength(size);
        for (long offset = 0; offset < size; offset += Every)
        {
            random.NextBytes(bytes);
            stream.Position = offset;
            stream.Write(bytes, 0, (int)Math.Min(Block, size - offset));
        }

        return path;
    }

    /// <summary>Samples the heap every 20 ms until cancelled: the highest total and the highest heap size a GC left.</summary>
    private static async Task<(long Peak, long PeakHeapSize, int Samples)> SampleHeapAsync(CancellationToken stop)
    {
        long peak = 0, peakHeapSize = 0;
        var samples = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                peakHeapSize = Math.Max(peakHeapSize, GC.GetGCMemoryInfo().HeapSizeBytes);
                samples++;
            }
        }
        catch (OperationCanceledException)
        {
            // The transfer ended.
        }

        return (peak, peakHeapSize, samples);
    }

    private static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1024 * 1024, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
