using Akka.Actor;
using Akka.Hosting;
using Lan.Actors.Hocon;
using Lan.Actors.Io;
using Lan.Actors.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lan.Node.Hosting;

/// <summary>The .NET Generic Host that every node command runs: Akka.NET through Akka.Hosting, configured from our HOCON.</summary>
internal static class NodeHost
{
    /// <summary>A host whose ActorSystem is named lan-node and configured by <paramref name="configure"/> (AddLanServer and the like).</summary>
    public static IHost Build(Action<AkkaConfigurationBuilder> configure) =>
        new HostBuilder()
            .ConfigureServices(services => services.AddAkka("lan-node", configure))
            .Build();

    /// <summary>
    /// Runs a host whose node listens (server, registry, receive) until <paramref name="stop"/> fires or the process is told
    /// to stop (Ctrl+C, SIGTERM: CoordinatedShutdown says SERVER_BYE and DISCONNECT). The node is started after the host,
    /// by <paramref name="startNode"/>, so a listener that cannot bind is one line on <paramref name="error"/> and exit
    /// code 1, where a failing Akka.Hosting start-up task prints its own message and stack trace on standard output.
    /// </summary>
    /// <remarks>A node that stops by itself (its handler failed past its restart budget) ends the command with exit code 1.</remarks>
    public static async Task<int> RunListeningAsync(HoconConfig config, Func<ActorSystem, Task<IActorRef>> startNode, TextWriter error, CancellationToken stop)
    {
        using var host = Build(builder => builder.AddHocon(config.ToAkkaConfig(), HoconAddMode.Prepend));
        await host.StartAsync(stop).ConfigureAwait(false);
        IActorRef node;
        try
        {
            node = await startNode(host.System()).ConfigureAwait(false);
        }
        catch (ListenerBindException e)
        {
            await error.WriteLineAsync($"lan-node: {e.Message}").ConfigureAwait(false);
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        var system = host.System();
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var shutdown = host.WaitForShutdownAsync(stop);
        var ended = node.WatchAsync(CancellationToken.None);
        // The node also ends in a normal stop (Ctrl+C, SIGTERM: CoordinatedShutdown, which may run before the host
        // hears of it); it stopped on its own only when nothing has started to shut down.
        if (await Task.WhenAny(shutdown, ended).ConfigureAwait(false) == ended
            && CoordinatedShutdown.Get(system).ShutdownReason is null && !stopping.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            // Nobody asked it to stop: its handler failed past lan.handler's budget (the log says how).
            await error.WriteLineAsync("lan-node: the node stopped: its handler kept failing (lan.handler); see the error above").ConfigureAwait(false);
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        await shutdown.ConfigureAwait(false);
        return ExitCodes.Done;
    }

    /// <summary>The host's ActorSystem, once started.</summary>
    public static ActorSystem System(this IHost host) => host.Services.GetRequiredService<ActorSystem>();

    /// <summary>
    /// The actor at <paramref name="path"/>, waiting for it to exist: a node's children (its handler) are created in
    /// its PreStart, after the host has started, so an immediate look-up can find nothing yet.
    /// </summary>
    /// <exception cref="ActorNotFoundException">Nothing was started at <paramref name="path"/> within 10 s.</exception>
    public static async Task<IActorRef> StartedActor(this ActorSystem system, string path, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                return await system.ActorSelection(path).ResolveOne(TimeSpan.FromSeconds(1), cancel).ConfigureAwait(false);
            }
            catch (ActorNotFoundException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancel).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes a configuration error the way every command does: one line, no stack trace.</summary>
    public static int ConfigError(ConfigException error, TextWriter output)
    {
        output.WriteLine(error.Message);
        return ExitCodes.BadUsage;
    }
}

/// <summary>What lan-node's exit codes mean.</summary>
internal static class ExitCodes
{
    public const int Done = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;
}
