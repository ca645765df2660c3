using Lan.Actors.Hocon;

namespace Lan.Actors.Protocol;

/// <summary>
/// The limits every decoder and encoder enforces, read from <c>lan.protocol</c>. Each value is checked when it is
/// set, so an instance is always valid and a bad config fails at start-up, not at the first large packet.
/// </summary>
public sealed record ProtocolSettings
{
    /// <summary>The HOCON path these settings live under.</summary>
    public const string ConfigPath = "lan.protocol";

    /// <summary>The deepest JSON nesting any setting may allow; the field readers of <see cref="Packet"/> rely on it.</summary>
    public const int MaxSupportedDepth = 1024;

    /// <summary>
    /// The highest <c>lan.protocol.max-depth</c>: System.Text.Json deserializes at most 64 levels by default, so a
    /// higher limit would accept packets that <c>Packet.As&lt;T&gt;()</c> then cannot read.
    /// </summary>
    public const int MaxConfigurableDepth = 64;

    /// <summary>The largest UDP payload an IPv4 datagram can carry.</summary>
    public const int MaxUdpPayload = 65_507;

    private const int SmallestUsefulSize = 64;

    // Frame and content buffers are single arrays, so neither may exceed what one array can hold.
    private static readonly int s_largestArray = Array.MaxLength;

    private readonly int _maxFrameSize = 1024 * 1024;
    private readonly int _maxContentSize = 16 * 1024 * 1024;
    private readonly int _maxDepth = 32;
    private readonly int _maxDatagramSize = 1400;

    /// <summary>The defaults of reference.conf: 1 MiB frames, 16 MiB content, depth 32, 1400-byte datagrams.</summary>
    public static ProtocolSettings Default { get; } = new();

    /// <summary>Most bytes of JSON in one TCP frame (<c>lan.protocol.max-frame-size</c>); checked from the length prefix alone.</summary>
    public int MaxFrameSize
    {
        get => _maxFrameSize;
        init => _maxFrameSize = CheckRange(value, SmallestUsefulSize, s_largestArray, "max-frame-size");
    }

    /// <summary>Most bytes of binary content after one frame (<c>lan.protocol.max-content-size</c>).</summary>
    public int MaxContentSize
    {
        get => _maxContentSize;
        init => _maxContentSize = CheckRange(value, 0, s_largestArray, "max-content-size");
    }

    /// <summary>Deepest nesting of objects and arrays in a packet's JSON, the packet object itself being 1 (<c>lan.protocol.max-depth</c>).</summary>
    public int MaxDepth
    {
        get => _maxDepth;
        init => _maxDepth = CheckRange(value, 1, MaxConfigurableDepth, "max-depth");
    }

    /// <summary>Most bytes in one UDP datagram (<c>lan.protocol.max-datagram-size</c>); 1400 fits one Ethernet frame.</summary>
    public int MaxDatagramSize
    {
        get => _maxDatagramSize;
        init => _maxDatagramSize = CheckRange(value, SmallestUsefulSize, MaxUdpPayload, "max-datagram-size");
    }

    /// <summary>
    /// Reads <c>lan.protocol.max-frame-size</c>, <c>max-content-size</c>, <c>max-depth</c> and <c>max-datagram-size</c>;
    /// a missing path keeps its default. Throws <see cref="ConfigException"/> with file, line and path when a value is out of range.
    /// </summary>
    public static ProtocolSettings FromConfig(HoconConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        try
        {
            return new ProtocolSettings
            {
                MaxFrameSize = ReadSize(config, "max-frame-size", Default.MaxFrameSize),
                MaxContentSize = ReadSize(config, "max-content-size", Default.MaxContentSize),
                MaxDepth = config.GetInt($"{ConfigPath}.max-depth", Default.MaxDepth),
                MaxDatagramSize = ReadSize(config, "max-datagram-size", Default.MaxDatagramSize),
            };
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName is { } key)
        {
            // Point at the file and line the value came from, like every other configuration error.
            var path = $"{ConfigPath}.{key}";
            var problem = e.Message.Split(" (Parameter", 2)[0].Replace($"{path} = ", "", StringComparison.Ordinal);
            throw new ConfigException(config.GetValue(path)?.Origin, path, problem, e);
        }
    }

    private static int ReadSize(HoconConfig config, string key, int fallback)
    {
        // A size larger than an int cannot be a valid limit; clamp so the range check reports it with its path.
        long bytes = config.GetByteSize($"{ConfigPath}.{key}", fallback);
        return (int)Math.Clamp(bytes, int.MinValue, int.MaxValue);
    }

    private static int CheckRange(int value, int min, int max, string key)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(
                key,
                value,
                $"{ConfigPath}.{key} = {ByteSizeOrCount(value, key)} is out of range; use a value from {ByteSizeOrCount(min, key)} to {ByteSizeOrCount(max, key)}");
        }

        return value;
    }

    private static string ByteSizeOrCount(long value, string key) =>
        key == "max-depth" || value < 0 ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : ByteSizeText.Format(value);
}
