using Lan.Actors.Kernel;
using Xunit.Abstractions;

namespace Lan.Actors.TestKit;

/// <summary>
/// A <see cref="TestKit"/> whose system runs on a <see cref="ManualTimeProvider"/>: timers, receive
/// timeouts, back-off and the scheduler fire only when the test calls <c>Time.Advance</c>.
/// </summary>
public class ManualTimeTestKit : TestKit
{
    /// <summary>A system on a manual clock.</summary>
    public ManualTimeTestKit() : this(new ManualTimeProvider(), null) { }

    /// <summary>A system on a manual clock whose logs go to <paramref name="output"/>.</summary>
    public ManualTimeTestKit(ITestOutputHelper output) : this(new ManualTimeProvider(), output) { }

    private ManualTimeTestKit(ManualTimeProvider time, ITestOutputHelper? output)
        : base(ActorSystem.Create("test", null, new ActorSystemSetup(CreateLogger(output), time)), output) => Time = time;

    /// <summary>The system's clock; advance it to fire what falls due.</summary>
    public ManualTimeProvider Time { get; }
}
