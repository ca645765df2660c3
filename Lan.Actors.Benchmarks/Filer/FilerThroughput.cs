using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Akka.Actor;
using System.Net.Security;
using System.Security.Authentication;
using Lan.Actors.Benchmarks.Tcp;
using Lan.Actors.Security;
using Lan.Actors.Filer;
using Lan.Actors.Nodes;

namespace Lan.Actors.Benchmarks.Filer;

/// <summary>
/// <c>--filer-throughput [MiB]</c>: one file (256 MiB by default) sent over loopback by our
/// <see cref="FileSenderHandler"/> to a <see cref="FileReceiverHandler"/>, against a plain socket copy of the same
/// file to the same disk in the same run, rounds alternating. The plain copy is a good one, not a straw man: the
/// sender hashes while it sends and puts the SHA-256 after the bytes; the receiver hashes while it writes, flushes
/// to disk once at the end and compares. Each round's time ends when the receiver has verified the file.
/// </summary>
internal static class FilerThroughput
{
    private const int Rounds = 3;
    private const int BufferSize = 64 * 1024;

    /// <summary>Arguments: <c>[MiB] [--chunk KiB] [--window N] [--checkpoint MiB] [--tls]</c>; the filer's defaults otherwise.</summary>
    public static async Task RunAsync(string[] args)
    {
        var mebibytes = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[0], CultureInfo.InvariantCulture) : 256;
        var senderOptions = new FileSenderOptions();
        senderOptions = senderOptions with
        {
            ChunkSize = Option(args, "--chunk", senderOptions.ChunkSize / 1024) * 1024,
            Window = Option(args, "--window", senderOptions.Window),
        };
        var receiverDefaults = new FileReceiverOptions("");
        var checkpoint = Option(args, "--checkpoint", (int)(receiverDefaults.CheckpointBytes / (1024 * 1024))) * 1024L * 1024;

        var root = Path.Combine(Path.GetTempPath(), $"filer-throughput-{Guid.NewGuid():N}");
        var inbox = Directory.CreateDirectory(Path.Combine(root, "inbox")).FullName;
        try
        {
            var source = WriteRandomFile(Path.Combine(root, "source.bin"), (long)mebibytes * 1024 * 1024);
            var warmUp = WriteRandomFile(Path.Combine(root, "warm-up.bin"), 16L * 1024 * 1024);
            // --tls: the filer's two nodes in TLS mode (throw-away identities, any peer), against the same plain socket copy.
            var tls = args.Contains("--tls");
            var security = tls ? "lan.security { mode = tls, trust = any }\nlan.node.identity-dir = ephemeral\n" : "lan.security.mode = open\n";
            var config = LanConfiguration.Parse(TcpLoad.LoopbackOnly + security + "lan.tcp { bind-host = 127.0.0.1, port = 0 }\nakka.loglevel = WARNING\n", "filer-throughput");
            using var system = LanActorSystem.Create("filer-throughput", config);
            var settings = LanNodeSettings.FromConfig(config);
            var server = await LanNode.StartServerAsync(system, settings, FileReceiverHandler.Props(new FileReceiverOptions(inbox) { CheckpointBytes = checkpoint }));
            var waiter = system.ActorOf(Props.Create(() => new CompletionWaiter()));
            system.EventStream.Subscribe(waiter, typeof(TransferCompleted));
            system.EventStream.Subscribe(waiter, typeof(TransferFailed));
            var sender = system.ActorOf(FileSenderHandler.Props(senderOptions));
            LanNode.StartClient(system, settings, Props.Create(() => new Forward(sender))).Connect(server.LocalEndPoint);

            await OursAsync(sender, waiter, warmUp);
            ClearFolder(inbox);
            await RawAsync(warmUp, inbox);
            ClearFolder(inbox);

            var rows = new List<string>();
            var ratios = new List<double>();
            var tlsRatios = new List<double>();
            using var copyIdentity = tls ? NodeIdentity.CreateEphemeral() : null;
            for (var round = 1; round <= Rounds; round++)
            {
                var raw = await RawAsync(source, inbox);
                ClearFolder(inbox);
                var ours = await OursAsync(sender, waiter, source);
                ClearFolder(inbox);
                var rawRate = mebibytes / raw.TotalSeconds;
                var ourRate = mebibytes / ours.TotalSeconds;
                ratios.Add(ourRate / rawRate);
                if (copyIdentity is null)
                {
                    rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {round} | {rawRate:F0} | {ourRate:F0} | {ourRate / rawRate:F2} |"));
                    continue;
                }

                var tlsCopy = mebibytes / (await RawAsync(source, inbox, copyIdentity)).TotalSeconds;
                ClearFolder(inbox);
                tlsRatios.Add(ourRate / tlsCopy);
                rows.Add(string.Create(CultureInfo.InvariantCulture, $"| {round} | {rawRate:F0} | {ourRate:F0} | {ourRate / rawRate:F2} | {tlsCopy:F0} | {ourRate / tlsCopy:F2} |"));
            }

            Console.WriteLine($"file: {mebibytes} MiB of random bytes; our filer ({(tls ? "TLS" : "open")} mode) with {senderOptions.ChunkSize / 1024} KiB chunks, window {senderOptions.Window}, checkpoint every {checkpoint / (1024 * 1024)} MiB; load average {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine(tls
                ? "| round | plain socket MiB/s | filer (TLS) MiB/s | ratio | TLS socket copy MiB/s | filer ÷ TLS copy |\n|---|---|---|---|---|---|"
                : "| round | plain socket MiB/s | filer MiB/s | ratio |\n|---|---|---|---|");
            rows.ForEach(Console.WriteLine);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median ratio: {ratios.Order().ElementAt(ratios.Count / 2):F2} (target >= 0.8)"));
            if (tlsRatios.Count > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median ratio to the same copy over TLS: {tlsRatios.Order().ElementAt(tlsRatios.Count / 2):F2}"));
            }
            await server.StopAsync(TimeSpan.FromSeconds(10));
            await system.Terminate();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static async Task<TimeSpan> OursAsync(IActorRef sender, IActorRef waiter, string source)
    {
        var clock = Stopwatch.StartNew();
        var done = await waiter.Ask<Task<TransferCompleted>>(CompletionWaiter.Next.Instance, TimeSpan.FromSeconds(10));
        sender.Tell(new SendFile(source));
        await done.WaitAsync(TimeSpan.FromMinutes(10));
        return clock.Elapsed;
    }

    /// <summary>
    /// The plain copy: 8-byte length, the bytes, the sender's SHA-256; the receiver writes, hashes, flushes to disk,
    /// compares. With <paramref name="identity"/> the same copy runs over TLS 1.3 (SslStream both sides, the same
    /// certificate presented by each), the fair yardstick for the filer in TLS mode.
    /// </summary>
    private static async Task<TimeSpan> RawAsync(string source, string inbox, NodeIdentity? identity = null)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var clock = Stopwatch.StartNew();
        var receiving = ReceiveRawAsync(listener, Path.Combine(inbox, Path.GetFileName(source)), identity);
        await using (var client = await LoadClient.ConnectAsync((IPEndPoint)listener.LocalEndPoint!, identity))
        {
            await using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[BufferSize];
            BinaryPrimitives.WriteInt64BigEndian(buffer, file.Length);
            await client.WriteAsync(buffer.AsMemory(0, 8));
            int read;
            while ((read = await file.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await client.WriteAsync(buffer.AsMemory(0, read));
            }

            await client.WriteAsync(hash.GetHashAndReset());
            await client.FlushAsync();
            await receiving;
        }

        return clock.Elapsed;
    }

    private static async Task ReceiveRawAsync(Socket listener, string target, NodeIdentity? identity)
    {
        var socket = await listener.AcceptAsync();
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (identity is not null)
        {
            var tls = new SslStream(stream);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = identity.Certificate,
                ClientCertificateRequired = true,
                EnabledSslProtocols = SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            });
            stream = tls;
        }

        await using var _ = stream;
        var buffer = new byte[BufferSize];
        await stream.ReadExactlyAsync(buffer.AsMemory(0, 8));
        var remaining = BinaryPrimitives.ReadInt64BigEndian(buffer);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
        {
            while (remaining > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)));
                if (read == 0)
                {
                    throw new IOException("the plain sender closed early");
                }

                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read));
                remaining -= read;
            }

            file.Flush(flushToDisk: true);
        }

        var expected = new byte[32];
        await stream.ReadExactlyAsync(expected);
        if (!hash.GetHashAndReset().AsSpan().SequenceEqual(expected))
        {
            throw new IOException("the plain copy's SHA-256 does not match");
        }
    }

    private static string WriteRandomFile(string path, long size)
    {
        var random = new Random(12);
        var buffer = new byte[1024 * 1024];
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        for (long written = 0; written < size; written += buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
        }

        return path;
    }

    private static void ClearFolder(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            File.Delete(file);
        }
    }

    /// <summary>The client node's handler: passes everything to the sender, the connection kept as the sender.</summary>
    private sealed class Forward : ReceiveActor
    {
        public Forward(IActorRef target) => ReceiveAny(target.Forward);
    }

    /// <summary>Hands out a task for the next receiving <see cref="TransferCompleted"/>; a <see cref="TransferFailed"/> fails it.</summary>
    private sealed class CompletionWaiter : ReceiveActor
    {
        private TaskCompletionSource<TransferCompleted>? _next;

        public CompletionWaiter()
        {
            Receive<Next>(_ =>
            {
                _next = new TaskCompletionSource<TransferCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
                Sender.Tell(_next.Task);
            });
            Receive<TransferCompleted>(done => done.Direction == TransferDirection.Receiving, done => _next?.TrySetResult(done));
            Receive<TransferCompleted>(_ => { });
            Receive<TransferFailed>(failed => _next?.TrySetException(new IOException($"{failed.Direction} {failed.Name} failed: {failed.Reason}")));
        }

        public sealed class Next
        {
            public static readonly Next Instance = new();
        }
    }
}
