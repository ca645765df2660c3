namespace Lan.Actors.Nodes;

/// <summary>How a server node serves its handler: <c>LanNode.StartServerAsync(system, settings, handler, new ServerOptions { ... })</c>.</summary>
public sealed record ServerOptions
{
    /// <summary>Everything at its default: one shared handler, push mode, one <c>Received</c> per packet, named <c>lan-server</c>.</summary>
    public static ServerOptions Default { get; } = new();

    /// <summary>One handler for the node (the default), or one per connection.</summary>
    public HandlerMode Mode { get; init; } = HandlerMode.Shared;

    /// <summary>True when the handler asks for each batch of packets with <c>ResumeReading</c> (flow control for slow handlers).</summary>
    public bool PullMode { get; init; }

    /// <summary>
    /// True to tell the handler one <c>ReceivedBatch</c> per socket read instead of one <c>Received</c> per packet, for
    /// handlers that answer many packets at once (with <c>SendBatch</c>): it saves a message per packet.
    /// </summary>
    public bool BatchDelivery { get; init; }

    /// <summary>The node actor's name under <c>/user</c>.</summary>
    public string Name { get; init; } = "lan-server";
}
