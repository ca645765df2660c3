using Akka.Actor;
using Akka.Hosting;
using Lan.Actors.Hocon;
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

    /// <summary>The host's ActorSystem, once started.</summary>
    public static ActorSystem System(this IHost host) => host.Services.GetRequiredService<ActorSystem>();

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
