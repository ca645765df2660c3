using System.Diagnostics.Metrics;
using Lan.Actors.Metrics;

namespace Lan.Actors.Web;

/// <summary>
/// Packets and bytes each way, summed from the <c>Lan.Actors</c> meter while the page is served, and sampled once a
/// second into the last <see cref="Seconds"/> points of the page's charts.
/// </summary>
internal sealed class WebRates : IDisposable
{
    public const int Seconds = 300;
    private readonly MeterListener _listener = new();
    private long _packetsIn;
    private long _packetsOut;
    private long _bytesIn;
    private long _bytesOut;
    private (long PacketsIn, long PacketsOut, long BytesIn, long BytesOut) _last;
    private readonly Queue<WebRateView> _points = new();

    public WebRates()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == LanMetrics.MeterName && instrument.Name is "lan.network.packets" or "lan.network.io")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var receive = tags.Length > 0 && Equals(tags[0].Value, "receive");
            if (instrument.Name == "lan.network.packets")
            {
                Interlocked.Add(ref receive ? ref _packetsIn : ref _packetsOut, value);
            }
            else
            {
                Interlocked.Add(ref receive ? ref _bytesIn : ref _bytesOut, value);
            }
        });
        _listener.Start();
    }

    public IReadOnlyList<WebRateView> Points => [.. _points];

    /// <summary>Adds the last second's point.</summary>
    public void Sample(long unixSeconds)
    {
        var now = (Interlocked.Read(ref _packetsIn), Interlocked.Read(ref _packetsOut), Interlocked.Read(ref _bytesIn), Interlocked.Read(ref _bytesOut));
        _points.Enqueue(new WebRateView(unixSeconds, now.Item1 - _last.PacketsIn, now.Item2 - _last.PacketsOut, now.Item3 - _last.BytesIn, now.Item4 - _last.BytesOut));
        _last = now;
        while (_points.Count > Seconds)
        {
            _points.Dequeue();
        }
    }

    public void Dispose() => _listener.Dispose();
}
