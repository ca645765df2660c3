using Lan.Actors.Hocon;
using Lan.Actors.Kernel;
using Serilog;
using Xunit.Abstractions;

namespace Lan.Actors.TestKit;

/// <summary>
/// Base class for xunit test classes (Akka.TestKit.Xunit2's role): each test gets a fresh actor system
/// whose logs go to the test's output, and which is shut down when the test ends. Messages told from
/// the test body (<c>actor.Tell(msg)</c>) carry <see cref="TestKitBase.TestActor"/> as sender.
/// </summary>
public class TestKit : TestKitBase, IDisposable
{
    private bool _disposed;

    /// <summary>A system with the library's defaults.</summary>
    public TestKit() : this((HoconConfig?)null, null) { }

    /// <summary>A system whose logs go to <paramref name="output"/>.</summary>
    public TestKit(ITestOutputHelper output) : this((HoconConfig?)null, output) { }

    /// <summary>A system configured by a HOCON string over the defaults.</summary>
    public TestKit(string config, ITestOutputHelper? output = null) : this(ParseConfig(config), output) { }

    /// <summary>A system configured by <paramref name="config"/> over the defaults.</summary>
    public TestKit(HoconConfig? config, ITestOutputHelper? output = null, string? actorSystemName = null)
        : this(ActorSystem.Create(actorSystemName ?? "test", config, new ActorSystemSetup(Logger: CreateLogger(output))), output)
    {
    }

    /// <summary>Tests <paramref name="system"/>, which the test kit shuts down at the end.</summary>
    public TestKit(ActorSystem system, ITestOutputHelper? output = null) : base(system)
    {
        Output = output;
        Sys.ImplicitSender = TestActor;
    }

    /// <summary>The test's output, if one was given.</summary>
    public ITestOutputHelper? Output { get; }

    /// <summary>Creates an actor in the system under test.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => Sys.ActorOf(props, name);

    /// <summary>Terminates the system and waits for it (dilated); returns false if it did not finish in time.</summary>
    public bool Shutdown(TimeSpan? timeout = null) => Sys.Terminate().Wait(Dilated(timeout ?? TimeSpan.FromSeconds(10)));

    /// <summary>Shuts the system down.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Shuts the system down once; override to release more, calling the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (disposing && !Shutdown())
        {
            Output?.WriteLine($"The actor system {Sys.Name} did not terminate in time; an actor is probably blocked.");
        }
    }

    private static HoconConfig? ParseConfig(string config) => string.IsNullOrWhiteSpace(config) ? null : HoconConfig.Parse(config, "<TestKit config>");

    internal static Serilog.Core.Logger? CreateLogger(ITestOutputHelper? output) =>
        output is null ? null : new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(new TestOutputSink(output)).CreateLogger();
}
