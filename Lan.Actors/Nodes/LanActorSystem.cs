using Akka.Actor;
using Lan.Actors.Hocon;
using Lan.Actors.Io;

namespace Lan.Actors.Nodes;

/// <summary>Starts Akka.NET's <see cref="ActorSystem"/> from the project's configuration.</summary>
public static class LanActorSystem
{
    /// <summary>
    /// Creates an ActorSystem whose Akka settings come from the <c>akka</c> part of <paramref name="config"/>
    /// (read by <see cref="LanConfiguration"/>), over Akka's own defaults.
    /// </summary>
    /// <param name="name">The system's name: letters, digits, '-' and '_'.</param>
    /// <param name="config">A resolved configuration, as <see cref="LanConfiguration.Load(string?)"/> returns.</param>
    public static ActorSystem Create(string name, HoconConfig config) =>
        ActorSystem.Create(name, BootstrapSetup.Create().WithConfig(config.ToAkkaConfig()));
}
