using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Lan.Actors.Handlers;
using Lan.Actors.Metrics;
using Lan.Actors.Nodes;
using Lan.Actors.TestKit;
using Lan.Actors.Tests.Io;
using Xunit.Abstractions;

namespace Lan.Actors.Tests.Metrics;

/// <summary>
/// The "Lan.Actors" meter as a MeterListener (what dotnet-counters and OpenTelemetry use) sees it. Runs alone, so the
/// process-wide instruments move only by what each spec does, and the figures can be exact.
/// </summary>
[Collection(CountedAloneCollection.Name)]
public sealed class LanMetricsSpec(ITestOutputHelper output) : LanTestKit("lan.tcp { port = 0, close-timeout = 300ms }", output)
{
    [Fact]
    public async Task AConnection_IsCountedOpenedActiveAndClosedByReason_WithItsPacketsAndBytesEachWay()
    {
        using var meter = new Recorder();
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(LanConfig), Props.Create<EchoHandler>());
        using (var peer = await RawPeer.ConnectAsync(server.LocalEndPoint))
        {
            await peer.SendAsync(RawPeer.Message("one"), RawPeer.Message("two"), RawPeer.Message("three"));
            for (var n = 0; n < 3; n++)
            {
                Assert.NotNull(await peer.ReadAsync());
            }

            await AwaitAssertAsync(() => Assert.Equal(1, meter.Sum("lan.connection.active")));
        }

        await AwaitAssertAsync(() => Assert.Equal(1, meter.Sum("lan.connection.closed")));
        Assert.Equal(0, meter.Sum("lan.connection.active"));
        Assert.Equal(1, meter.Sum("lan.connection.opened", (LanMetrics.DirectionTag, "inbound")));
        Assert.Single(meter.TagValues("lan.connection.closed", LanMetrics.CloseReasonTag));
        Assert.Equal(3, meter.Sum("lan.network.packets", (LanMetrics.IoDirectionTag, "receive")));
        Assert.True(meter.Sum("lan.network.packets", (LanMetrics.IoDirectionTag, "transmit")) >= 3, "the three echoes (and the WELCOME) were written");
        var frames = RawPeer.Frame(RawPeer.Message("one"), RawPeer.Message("two"), RawPeer.Message("three")).Length;
        Assert.Equal(frames, meter.Sum("lan.network.io", (LanMetrics.IoDirectionTag, "receive")));
        Assert.True(meter.Sum("lan.network.io", (LanMetrics.IoDirectionTag, "transmit")) >= frames);
        await server.StopAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task APlaintextPeerOfATlsNode_IsAHandshakeFailure_AndAMalformedDatagram_ADrop()
    {
        using var meter = new Recorder();
        var config = LanTestConfiguration.Build($"lan.security.mode = tls\nlan.tcp.port = 0\nlan.discovery.port = {LanConfig.GetInt("lan.discovery.port")}");
        var server = await LanNode.StartServerAsync(Sys, LanNodeSettings.FromConfig(config), Props.Create<EchoHandler>());
        using (var plain = await RawPeer.ConnectAsync(server.LocalEndPoint))
        {
            await plain.SendAsync(RawPeer.Message("not a TLS hello"));
            await AwaitAssertAsync(() => Assert.Equal(1, meter.Sum("lan.tls.handshake.failures", (LanMetrics.HandshakeFailureTag, "failed"))));
        }

        using var udp = new UdpClient(AddressFamily.InterNetwork) { EnableBroadcast = true };
        await udp.SendAsync("{not json"u8.ToArray(), new IPEndPoint(IPAddress.Parse("127.255.255.255"), LanConfig.GetInt("lan.discovery.port")));
        await AwaitAssertAsync(() => Assert.True(meter.Sum("lan.discovery.datagrams.dropped", (LanMetrics.DropReasonTag, "malformed")) >= 1));
        Assert.Equal(0, meter.Sum("lan.connection.opened"));
        await server.StopAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>Every measurement of the meter while it lives, with its tags.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<(string Name, long Value, KeyValuePair<string, object?>[] Tags)> _seen = new();

        public Recorder()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == LanMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _seen.Enqueue((instrument.Name, value, tags.ToArray())));
            _listener.Start();
        }

        public long Sum(string name, params (string Key, string Value)[] tags) =>
            _seen.Where(m => m.Name == name && tags.All(t => m.Tags.Any(tag => tag.Key == t.Key && Equals(tag.Value, t.Value)))).Sum(m => m.Value);

        public IReadOnlyList<string> TagValues(string name, string key) =>
            [.. _seen.Where(m => m.Name == name).SelectMany(m => m.Tags).Where(tag => tag.Key == key).Select(tag => tag.Value?.ToString() ?? "").Distinct()];

        public void Dispose() => _listener.Dispose();
    }
}
