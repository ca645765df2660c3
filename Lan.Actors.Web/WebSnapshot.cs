using System.Text.Json.Serialization;

namespace Lan.Actors.Web;

// What the page shows, as one JSON document: sent on every tick of the live stream. Every string that a peer chose
// (names, META, details, chat) is data here; the page puts it into the document as text, never as markup.

internal sealed record WebSnapshot(
    WebNodeView Node,
    IReadOnlyList<WebServerView> Servers,
    IReadOnlyList<WebConnectionView> Connections,
    IReadOnlyList<WebDisconnectView> Disconnects,
    IReadOnlyList<WebRateView> Rates,
    WebChatView? Chat,
    WebFilesView? Files);

internal sealed record WebFilesView(IReadOnlyList<WebTransferView> Transfers, IReadOnlyList<WebOfferView> Offers);

internal sealed record WebTransferView(string Key, string Name, string Direction, long Bytes, long Size, string State, string Detail);

internal sealed record WebOfferView(long Ticket, string Name, long Size, string From);

internal sealed record WebDecision(bool Accept);

internal sealed record WebNodeView(string Name, string Id, string Mode, DateTimeOffset StartedAt, double UptimeSeconds, IReadOnlyList<string> Addresses);

internal sealed record WebServerView(string Id, string Name, string App, string Address, string Source, DateTimeOffset FoundAt, DateTimeOffset UpdatedAt, IReadOnlyDictionary<string, string> Meta);

internal sealed record WebConnectionView(string Peer, string Id, string Address, bool Inbound, DateTimeOffset Since, long PacketsIn, long PacketsOut, long BytesIn, long BytesOut, int QueuedPackets, long QueuedBytes);

internal sealed record WebDisconnectView(string Peer, string Address, string Reason, string Detail, DateTimeOffset At);

internal sealed record WebRateView(long At, long PacketsIn, long PacketsOut, long BytesIn, long BytesOut);

internal sealed record WebChatView(string Room, bool Connected, IReadOnlyList<string> Members, IReadOnlyList<WebChatLine> Lines);

internal sealed record WebChatLine(string From, string Text, DateTimeOffset At);

internal sealed record WebSay(string? Text);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WebSnapshot))]
[JsonSerializable(typeof(WebSay))]
[JsonSerializable(typeof(WebDecision))]
internal sealed partial class WebJson : JsonSerializerContext;
