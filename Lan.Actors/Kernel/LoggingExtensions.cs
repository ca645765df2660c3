using Serilog;
using Serilog.Core;

namespace Lan.Actors.Kernel;

/// <summary>The Akka.Logger.Serilog role: a Serilog logger that knows which actor logs.</summary>
public static class LoggingExtensions
{
    /// <summary>The system's Serilog logger enriched with <c>ActorPath</c> and the actor's type as source context.</summary>
    public static ILogger GetLogger(this IActorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.System.Log
            .ForContext(Constants.SourceContextPropertyName, context.Props.Type.FullName)
            .ForContext("ActorPath", context.Self.Path.ToString());
    }
}
