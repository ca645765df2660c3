using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Lan.Actors.Benchmarks.Actors;
using Lan.Actors.Handlers;
using Lan.Actors.Io;
using Lan.Actors.Nodes;

namespace Lan.Actors.Benchmarks.Tcp;

/// <summary>
/// <c>--idle-connections N</c>: the managed heap a server node holds per idle connection, with the N
/// connections opened by a second process (<c>--hold-connections N PORT</c>) so that only the server's
/// side is counted. Bounded: the child holds them until its standard input closes, at most two minutes.
/// </summary>
internal static class IdleConnections
{
    public static async Task RunAsync(int count)
    {
        var config = LanConfiguration.Parse(TcpLoad.LoopbackOnly + "lan.tcp { bind-host = 127.0.0.1, port = 0, backlog = 4096, heartbeat-interval = 10m, heartbeat-timeout = 30m }\nakka.loglevel = WARNING", "idle");
        using var system = LanActorSystem.Create("idle-connections", config);
        var server = await LanNode.StartServerAsync(system, LanNodeSettings.FromConfig(config), Props.Create<EchoHandler>());
        var before = IdleActorMemory.Collect();
        using var holder = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, HolderArguments(count, server.LocalEndPoint.Port))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var deadline = Stopwatch.StartNew();
        int connected;
        do
        {
            await Task.Delay(500);
            connected = (await server.Node.Ask<Peers>(GetPeers.Instance, TimeSpan.FromSeconds(30))).Connected.Count;
        }
        while (connected < count && deadline.Elapsed < TimeSpan.FromMinutes(2));

        var after = IdleActorMemory.Collect();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"idle connections: {connected:N0} of {count:N0}; managed heap {before / 1024.0 / 1024:F1} MiB before, {after / 1024.0 / 1024:F1} MiB after: {(after - before) / (double)Math.Max(connected, 1):N0} bytes per idle connection"));
        holder.StandardInput.Close();
        await holder.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        await server.StopAsync(TimeSpan.FromSeconds(30));
        await system.Terminate();
    }

    /// <summary>The child: opens <paramref name="count"/> connections and holds them until its input closes.</summary>
    public static async Task HoldAsync(int count, int port)
    {
        var sockets = new List<Socket>(count);
        var server = new IPEndPoint(IPAddress.Loopback, port);
        for (var i = 0; i < count; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(server);
            sockets.Add(socket);
        }

        Console.WriteLine("holding");
        var closed = Task.Run(() => Console.In.ReadToEnd());
        await Task.WhenAny(closed, Task.Delay(TimeSpan.FromMinutes(2)));
        sockets.ForEach(socket => socket.Dispose());
    }

    private static string HolderArguments(int count, int port)
    {
        // Running as `dotnet Lan.Actors.Benchmarks.dll`, the child needs the dll; as an apphost, it does not (and
        // GetCommandLineArgs()[0] names the dll either way, so the process, not the argument, tells them apart).
        var muxer = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet";
        var dll = muxer ? $"\"{typeof(IdleConnections).Assembly.Location}\" " : "";
        return string.Create(CultureInfo.InvariantCulture, $"{dll}--hold-connections {count} {port}");
    }
}
