using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Lan.Actors.Handlers;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lan.Actors.Tests.Nodes;

/// <summary>An application that embeds a node logs what the node says, with no logging set up by hand, or through its own ILoggerFactory.</summary>
public sealed class EmbeddedLoggingSpec
{
    [Fact]
    public async Task WithNothingConfigured_AnEmbeddedNodeLogsThroughAkkasOwnLogger_NotASilentOne()
    {
        using var host = Host(LanConfiguration.Loopback($"lan.discovery.port = {LanTestConfiguration.FreeUdpPort()}"), _ => { });
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            Assert.Equal([typeof(DefaultLogger).FullName], system.Settings.Loggers.Select(name => name.Split(',')[0].Trim()));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task ConfigureLoggersWithTheLoggerFactory_SendsTheNodesLinesToTheApplicationsLogger()
    {
        var lines = new CapturingLoggerProvider();
        using var host = Host(
            LanConfiguration.Loopback($"lan.discovery.port = {LanTestConfiguration.FreeUdpPort()}"),
            services => services.AddLogging(logging => logging.AddProvider(lines)),
            builder => builder.ConfigureLoggers(setup =>
            {
                setup.LogLevel = Akka.Event.LogLevel.InfoLevel;
                setup.ClearLoggers();
                setup.AddLoggerFactory();
            }));
        await host.StartAsync();
        try
        {
            // The listener says where it listens, at INFO: the application's logger has it.
            await lines.WaitFor(line => line.Contains("listening on 127.0.0.1:", StringComparison.Ordinal)).WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static IHost Host(Lan.Actors.Hocon.HoconConfig config, Action<IServiceCollection> services, Action<AkkaConfigurationBuilder>? more = null) =>
        new HostBuilder()
            .ConfigureServices(collection =>
            {
                services(collection);
                collection.AddAkka("embedded", builder =>
                {
                    builder.AddLanServer(config, Props.Create<EchoHandler>());
                    more?.Invoke(builder);
                });
            })
            .Build();

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly List<string> _lines = [];
        private readonly List<(Func<string, bool> Match, TaskCompletionSource Done)> _waiting = [];

        public ILogger CreateLogger(string categoryName) => new Capturing(this);

        public Task WaitFor(Func<string, bool> match)
        {
            lock (_lines)
            {
                if (_lines.Any(match))
                {
                    return Task.CompletedTask;
                }

                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add((match, done));
                return done.Task;
            }
        }

        public void Dispose()
        {
        }

        private void Add(string line)
        {
            lock (_lines)
            {
                _lines.Add(line);
                foreach (var (match, done) in _waiting.Where(waiting => waiting.Match(line)))
                {
                    done.TrySetResult();
                }
            }
        }

        private sealed class Capturing(CapturingLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Add(formatter(state, exception));
        }
    }
}
