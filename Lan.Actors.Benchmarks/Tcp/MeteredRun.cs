using System.Diagnostics.Metrics;
using Lan.Actors.Metrics;

namespace Lan.Actors.Benchmarks.Tcp;

/// <summary>A MeterListener that sums every Lan.Actors measurement, as an exporter's aggregation would.</summary>
internal static class MeteredRun
{
    private static long _sum;

    public static MeterListener Listen()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, self) =>
            {
                if (instrument.Meter.Name == LanMetrics.MeterName)
                {
                    self.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _sum, value));
        listener.Start();
        Console.WriteLine("metered: a listener on the Lan.Actors meter for the whole run");
        return listener;
    }
}
