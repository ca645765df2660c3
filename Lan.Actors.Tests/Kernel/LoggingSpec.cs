using System.Collections.Concurrent;
using Lan.Actors.Hocon;
using Lan.Actors.Kernel;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Lan.Actors.Tests.Kernel;

public sealed class LoggingSpec
{
    private sealed class CollectingSink : ILogEventSink
    {
        public ConcurrentQueue<LogEvent> Events { get; } = new();

        public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);
    }

    private static (ActorSystem System, CollectingSink Sink) SystemWithSink(string hocon = "")
    {
        var sink = new CollectingSink();
        var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger();
        var config = string.IsNullOrEmpty(hocon) ? null : HoconConfig.Parse(hocon);
        return (ActorSystem.Create("logging", config, new ActorSystemSetup(Logger: logger)), sink);
    }

    [Fact]
    public async Task ActorFailure_IsLoggedBySupervisor_WithTheException()
    {
        var (system, sink) = SystemWithSink();
        await using var _ = system;
        var actor = system.ActorOf(Props.Create(() => new LifecycleActor(ActorRefs.Nobody)), "faulty");
        var boom = new InvalidOperationException("logged failure");
        actor.Tell(new Fail(boom), ActorRefs.NoSender);
        await actor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(5)); // answered after the restart
        var failure = Assert.Single(sink.Events, e => e.Exception == boom);
        Assert.Equal(LogEventLevel.Error, failure.Level);
        Assert.Contains("/user/faulty", failure.RenderMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetLogger_EnrichesWithTheActorPath()
    {
        var (system, sink) = SystemWithSink();
        await using var _ = system;
        var actor = system.ActorOf(Props.Create<Chatty>(), "chatty");
        await actor.Ask<string>("log", TimeSpan.FromSeconds(5));
        var logged = Assert.Single(sink.Events, e => e.MessageTemplate.Text == "hello from an actor");
        Assert.Equal("\"lan://logging/user/chatty\"", logged.Properties["ActorPath"].ToString());
    }

    [Fact]
    public async Task LogLevel_ComesFromConfiguration()
    {
        var (system, sink) = SystemWithSink("lan.kernel.log-level = warning");
        await using var _ = system;
        var actor = system.ActorOf(Props.Create<Chatty>(), "quiet");
        await actor.Ask<string>("log", TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(sink.Events, e => e.MessageTemplate.Text == "hello from an actor");
    }

    [Fact]
    public async Task DeadLetters_AreLogged_AtMostTheConfiguredNumberPerWindow()
    {
        var (system, sink) = SystemWithSink("lan.kernel { log-dead-letters = 2, log-dead-letters-window = 1h }");
        await using var _ = system;
        for (var i = 0; i < 5; i++)
        {
            system.DeadLetters.Tell($"lost {i}", ActorRefs.NoSender);
        }
        var logged = sink.Events.Where(e => e.MessageTemplate.Text.Contains("dead letter", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, logged.Count);
    }

    [Fact]
    public async Task DeadLetterLogging_CanBeTurnedOff()
    {
        var (system, sink) = SystemWithSink("lan.kernel.log-dead-letters = 0");
        await using var _ = system;
        system.DeadLetters.Tell("lost", ActorRefs.NoSender);
        Assert.DoesNotContain(sink.Events, e => e.MessageTemplate.Text.Contains("dead letter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnhandledMessages_AreLoggedAtDebug()
    {
        var (system, sink) = SystemWithSink("lan.kernel.log-level = debug");
        await using var _ = system;
        var actor = system.ActorOf(Props.Create<Chatty>(), "picky");
        actor.Tell(42, ActorRefs.NoSender);
        await actor.Ask<string>("log", TimeSpan.FromSeconds(5)); // handled after the unhandled 42
        Assert.Contains(sink.Events, e => e.Level == LogEventLevel.Debug
            && e.MessageTemplate.Text.Contains("did not handle", StringComparison.Ordinal)
            && e.Properties["MessageType"].ToString() == "\"Int32\"");
    }

    private sealed class Chatty : ReceiveActor
    {
        public Chatty()
        {
            var log = Context.GetLogger();
            Receive<string>(_ =>
            {
                log.Information("hello from an actor");
                Sender.Tell("done");
            });
        }
    }
}
