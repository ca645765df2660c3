using System.Diagnostics.Metrics;

namespace Lan.Actors.Metrics;

/// <summary>
/// The library's metrics: one <see cref="Meter"/> named <see cref="MeterName"/> (System.Diagnostics.Metrics), so they work
/// with what .NET users already run: <c>dotnet-counters monitor --counters Lan.Actors -p PID</c>, OpenTelemetry's
/// <c>AddMeter("Lan.Actors")</c>, or a <see cref="MeterListener"/>. Instrument names and units follow OpenTelemetry's
/// conventions; tags are few and low in cardinality (a direction, a reason), never a peer.
/// </summary>
/// <remarks>
/// The instruments are process-wide, as ASP.NET Core's are: two nodes in one process add to the same ones. With no
/// listener an instrument's <c>Add</c> returns at once; the connection path adds per read and per write, not per byte.
/// </remarks>
public static class LanMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Lan.Actors";

    private static readonly Meter Meter = new(MeterName, typeof(LanMetrics).Assembly.GetName().Version?.ToString(3));

    /// <summary>Tag: <c>inbound</c> or <c>outbound</c> (who opened the connection).</summary>
    public const string DirectionTag = "lan.connection.direction";

    /// <summary>Tag: how a connection ended, a <c>DisconnectReason</c>.</summary>
    public const string CloseReasonTag = "lan.connection.close_reason";

    /// <summary>Tag: OpenTelemetry's <c>network.io.direction</c>, <c>receive</c> or <c>transmit</c>.</summary>
    public const string IoDirectionTag = "network.io.direction";

    /// <summary>Tag: why a send was refused, a <c>SendRefusal</c>.</summary>
    public const string RefusalTag = "lan.send.refusal";

    /// <summary>Tag: why a discovery datagram was dropped.</summary>
    public const string DropReasonTag = "lan.discovery.drop_reason";

    /// <summary>Tag: why a TLS handshake failed (<c>identity_mismatch</c>, <c>untrusted</c>, <c>failed</c>, <c>timeout</c>).</summary>
    public const string HandshakeFailureTag = "lan.tls.failure";

    /// <summary>Tag: <c>send</c> or <c>receive</c>, for the filer's transfers.</summary>
    public const string TransferDirectionTag = "lan.filer.direction";

    internal static readonly UpDownCounter<long> ActiveConnections =
        Meter.CreateUpDownCounter<long>("lan.connection.active", "{connection}", "Connections established (after the TLS handshake) and not yet ended");

    internal static readonly Counter<long> ConnectionsOpened =
        Meter.CreateCounter<long>("lan.connection.opened", "{connection}", "Connections established");

    internal static readonly Counter<long> ConnectionsClosed =
        Meter.CreateCounter<long>("lan.connection.closed", "{connection}", "Connections ended, by reason");

    internal static readonly Counter<long> Packets =
        Meter.CreateCounter<long>("lan.network.packets", "{packet}", "Packets read and written on LAN connections");

    internal static readonly Counter<long> Bytes =
        Meter.CreateCounter<long>("lan.network.io", "By", "Bytes read and written on LAN connections, frames and TLS records included");

    internal static readonly Counter<long> SendsRefused =
        Meter.CreateCounter<long>("lan.send.refused", "{packet}", "Sends a connection refused, by cause");

    internal static readonly UpDownCounter<long> ServersKnown =
        Meter.CreateUpDownCounter<long>("lan.discovery.servers", "{server}", "Servers in the discovery tables of this process");

    internal static readonly Counter<long> DatagramsDropped =
        Meter.CreateCounter<long>("lan.discovery.datagrams.dropped", "{datagram}", "Discovery datagrams dropped, by reason");

    internal static readonly Counter<long> HandshakeFailures =
        Meter.CreateCounter<long>("lan.tls.handshake.failures", "{handshake}", "TLS handshakes that failed or proved a peer that was refused");

    internal static readonly UpDownCounter<long> TransfersActive =
        Meter.CreateUpDownCounter<long>("lan.filer.transfers.active", "{transfer}", "File transfers in progress");

    internal static readonly Counter<long> TransferBytes =
        Meter.CreateCounter<long>("lan.filer.io", "By", "File bytes acknowledged (sending) or written (receiving)");

    internal static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    internal static readonly KeyValuePair<string, object?> Inbound = Tag(DirectionTag, "inbound");
    internal static readonly KeyValuePair<string, object?> Outbound = Tag(DirectionTag, "outbound");
    internal static readonly KeyValuePair<string, object?> Receive = Tag(IoDirectionTag, "receive");
    internal static readonly KeyValuePair<string, object?> Transmit = Tag(IoDirectionTag, "transmit");
}
