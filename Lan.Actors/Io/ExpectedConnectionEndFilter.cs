using Akka.Event;

namespace Lan.Actors.Io;

/// <summary>
/// Drops the ERROR that Akka's back-off supervisor logs, with a stack trace, each time it replaces a client's
/// connection that ended the expected way (the server closed it, a peer vanished, a connect was refused): the
/// connection says so in its own line at INFO, and a passing run's output should show nothing alarming. The
/// supervisor wraps whatever strategy it is given in one of its own that logs, so this is done as Akka's log filter.
/// </summary>
public sealed class ExpectedConnectionEndFilter : LogFilterBase
{
    /// <summary>A setup that installs the filter: <c>BootstrapSetup.Create().And(ExpectedConnectionEndFilter.Setup)</c>.</summary>
    public static LogFilterSetup Setup { get; } = new([new ExpectedConnectionEndFilter()]);

    /// <inheritdoc/>
    public override LogFilterType FilterType => LogFilterType.Content;

    /// <inheritdoc/>
    public override LogFilterDecision ShouldKeepMessage(LogEvent content, string? expandedMessage = null) =>
        content is Error { Cause: ConnectionFailedException } ? LogFilterDecision.Drop : LogFilterDecision.NoDecision;
}
