namespace Lan.Actors.Tests.Commands;

/// <summary>
/// The commands configure Serilog for the whole process (Akka.Logger.Serilog writes to the global
/// <c>Log.Logger</c>), so specs that run them take turns: one spec's logger must not swallow another's lines.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProcessLoggingCollection
{
    public const string Name = "process-wide Serilog";
}
