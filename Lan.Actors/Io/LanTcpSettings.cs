using Lan.Actors.Hocon;

namespace Lan.Actors.Io;

/// <summary>The TCP side of a node (<c>lan.tcp</c>), read and checked once at start-up.</summary>
/// <param name="BindHost">Address or host name the listener binds.</param>
/// <param name="Port">Listening port; 0 lets the OS choose.</param>
/// <param name="Backlog">Pending connections the OS queues before they are accepted.</param>
/// <param name="ConnectTimeout">How long a client waits for a connection to be established.</param>
/// <param name="HeartbeatInterval">Silence after which a PING is sent.</param>
/// <param name="HeartbeatTimeout">Silence after which a connection is dropped; longer than <paramref name="HeartbeatInterval"/>.</param>
/// <param name="SendQueueLimit">Packets queued per connection before sends are refused.</param>
/// <param name="SendQueueBytes">Bytes queued per connection before sends are refused (one packet alone may exceed it).</param>
/// <param name="ReceiveBudget">Bytes a node's inbound connections may hold together in frames they have started and not finished.</param>
/// <param name="SlowConsumerGrace">How long sends may be refused as <c>QueueFull</c> with no write completing before the peer is dropped as <c>SlowConsumer</c>.</param>
/// <param name="NoDelay">Whether Nagle's algorithm is disabled.</param>
/// <param name="Reconnect">How a client backs off before reconnecting.</param>
/// <param name="MaxConnections">Connections a listener keeps open at once; the next one is closed at once.</param>
/// <param name="MaxConnectionsPerAddress">Connections a listener keeps open at once from one IP address, so no single host can take every place.</param>
/// <param name="FrameTimeout">How long a peer may take to finish a frame it has started (against slowloris).</param>
/// <param name="CloseTimeout">How long a closing connection waits for the peer's end of stream after sending DISCONNECT.</param>
/// <param name="RequireHello">Whether a peer must open with HELLO; otherwise a peer that does not is accepted as anonymous.</param>
/// <param name="HelloTimeout">With <paramref name="RequireHello"/>, how long an inbound peer has to send its HELLO before it is rejected.</param>
public sealed record LanTcpSettings(
    string BindHost,
    int Port,
    int Backlog,
    TimeSpan ConnectTimeout,
    TimeSpan HeartbeatInterval,
    TimeSpan HeartbeatTimeout,
    int SendQueueLimit,
    long SendQueueBytes,
    long ReceiveBudget,
    TimeSpan SlowConsumerGrace,
    bool NoDelay,
    ReconnectSettings Reconnect,
    int MaxConnections,
    int MaxConnectionsPerAddress,
    TimeSpan FrameTimeout,
    TimeSpan CloseTimeout,
    bool RequireHello,
    TimeSpan HelloTimeout)
{
    /// <summary>The root key these settings are read from.</summary>
    public const string RootKey = "lan.tcp";

    /// <summary>
    /// Bytes a node's inbound connections may hold together in their send queues; past it, a connection holding at least
    /// its share has its sends refused as <c>QueueFull</c> (<c>lan.tcp.send-budget</c>).
    /// </summary>
    public long SendBudget { get; init; } = 256L << 20;

    /// <summary>Reads <c>lan.tcp</c> from <paramref name="config"/> (which should have reference.conf as a fallback).</summary>
    /// <exception cref="ConfigException">A setting is missing, of the wrong type or out of range; the message names it.</exception>
    public static LanTcpSettings FromConfig(HoconConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var read = new SettingsReader(config, RootKey);
        var interval = read.PositiveDuration("heartbeat-interval");
        var timeout = read.PositiveDuration("heartbeat-timeout");
        if (timeout <= interval)
        {
            throw read.Invalid("heartbeat-timeout", $"must be longer than {read.Path("heartbeat-interval")} ({DurationFormat.Format(interval)}), or every quiet connection would be dropped; got {DurationFormat.Format(timeout)}");
        }

        return new LanTcpSettings(
            read.Host("bind-host"),
            read.Port("port", allowEphemeral: true),
            read.Int("backlog", 1, 65535),
            read.PositiveDuration("connect-timeout"),
            interval,
            timeout,
            read.Int("send-queue-limit", 1, int.MaxValue),
            read.Bytes("send-queue-bytes", 1024, 1L << 40),
            read.Bytes("receive-budget", 64 * 1024, 1L << 40),
            read.PositiveDuration("slow-consumer-grace"),
            read.Boolean("no-delay"),
            ReconnectSettings.FromConfig(config, RootKey + ".reconnect"),
            read.Int("max-connections", 1, 1_000_000),
            read.Int("max-connections-per-address", 1, 1_000_000),
            read.PositiveDuration("frame-timeout"),
            read.PositiveDuration("close-timeout"),
            read.Boolean("require-hello"),
            read.PositiveDuration("hello-timeout"))
        {
            SendBudget = read.Bytes("send-budget", 64 * 1024, 1L << 40),
        };
    }
}
