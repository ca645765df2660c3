using Lan.Actors.Hocon;

namespace Lan.Actors.Protocol;

/// <summary>
/// The limits every decoder and encoder enforces, read from <c>lan.protocol</c>. Each value is checked when it is
/// set, so an instance is always valid and a bad config fails at start-up, not at the first large packet.
/// </summary>
public sealed record ProtocolSettings
{
    /// <summary>The root key these settings are read from.</summary>
    public const string RootKey = "lan.protocol";

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
        // Checked here, as every settings record reads its keys, so an error names the file and line of the value;
        // the init setters check again for settings built in code.
        var read = new SettingsReader(config, RootKey);
        return new ProtocolSettings
        {
            MaxFrameSize = Checked(read, "max-frame-size", config.GetByteSize(read.Path("max-frame-size"), Default.MaxFrameSize), SmallestUsefulSize, s_largestArray),
            MaxContentSize = Checked(read, "max-content-size", config.GetByteSize(read.Path("max-content-size"), Default.MaxContentSize), 0, s_largestArray),
            MaxDepth = Checked(read, "max-depth", config.GetInt(read.Path("max-depth"), Default.MaxDepth), 1, MaxConfigurableDepth),
            MaxDatagramSize = Checked(read, "max-datagram-size", config.GetByteSize(read.Path("max-datagram-size"), Default.MaxDatagramSize), SmallestUsefulSize, MaxUdpPayload),
        };
    }

    private static int Checked(SettingsReader read, string key, long value, int min, int max) =>
        value >= min && value <= max ? (int)value : throw read.Invalid(key, OutOfRange(key, value, min, max));

    private static int CheckRange(int value, int min, int max, string key) =>
        value >= min && value <= max ? value : throw new ArgumentOutOfRangeException(key, value, $"{RootKey}.{key} = {OutOfRange(key, value, min, max)}");

    private static string OutOfRange(string key, long value, int min, int max) =>
        $"{ByteSizeOrCount(value, key)} is out of range; use a value from {ByteSizeOrCount(min, key)} to {ByteSizeOrCount(max, key)}";

    private static string ByteSizeOrCount(long value, string key) =>
        key == "max-depth" || value < 0 ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : ByteSizeText.Format(value);
}
