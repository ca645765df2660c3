using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Xunit.Abstractions;

namespace Lan.Actors.TestKit;

/// <summary>Writes log events to xunit's per-test output, so each test shows its own actors' logs.</summary>
internal sealed class TestOutputSink(ITestOutputHelper output) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"[{logEvent.Timestamp:HH:mm:ss.fff} {logEvent.Level.ToString()[..3].ToUpperInvariant()}] {logEvent.RenderMessage(CultureInfo.InvariantCulture)}");
        if (logEvent.Exception is not null)
        {
            line += Environment.NewLine + logEvent.Exception;
        }
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; xunit no longer takes output for it.
        }
    }
}
