using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Event;
using Lan.Actors.Hocon;
using Lan.Actors.Nodes;
using Xunit.Abstractions;

namespace Lan.Actors.TestKit;

/// <summary>
/// Akka.TestKit.Xunit2's <see cref="Akka.TestKit.Xunit2.TestKit"/>, started from the project's configuration:
/// the spec's HOCON over loopback.conf over reference.conf, so <c>akka.test.*</c> from reference.conf
/// applies and every socket stays on 127.0.0.1. Everything else is Akka.TestKit as its docs describe it.
/// </summary>
public abstract class LanTestKit : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Starts the spec's ActorSystem.</summary>
    /// <param name="hocon">HOCON for this spec (<c>lan { }</c> and <c>akka { }</c>), or null for the defaults.</param>
    /// <param name="output">xunit's output, where the system's log lines go.</param>
    protected LanTestKit(string? hocon = null, ITestOutputHelper? output = null)
        : this(LanTestConfiguration.Build(hocon), output)
    {
    }

    // The system's log lines reach xunit's output through a logger of the test kit's own rather than Akka.TestKit's.
    private LanTestKit(HoconConfig config, ITestOutputHelper? output)
        : base(ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config.ToAkkaConfig())), "lan-spec", null)
    {
        LanConfig = config;
        if (output is not null)
        {
            var logger = Sys.ActorOf(Props.Create(() => new SpecOutputLogger(output)), "lan-spec-output");
            Sys.EventStream.Subscribe(logger, typeof(LogEvent));
        }
    }

    /// <summary>The resolved configuration the system was started from; read <c>lan.*</c> settings from it.</summary>
    public HoconConfig LanConfig { get; }

    private sealed class SpecOutputLogger : ReceiveActor
    {
        public SpecOutputLogger(ITestOutputHelper output)
        {
            Receive<LogEvent>(logEvent =>
            {
                try
                {
                    output.WriteLine(logEvent.ToString());
                }
                catch (InvalidOperationException)
                {
                    // The spec has ended: xunit no longer takes its output.
                }
            });
        }
    }
}
