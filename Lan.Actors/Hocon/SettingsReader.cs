using System.Net;

namespace Lan.Actors.Hocon;

/// <summary>Reads the settings under one root key and rejects values a node could not start with.</summary>
internal sealed class SettingsReader(HoconConfig config, string root)
{
    public string Path(string key) => root + "." + key;

    public string String(string key) => config.GetString(Path(key));

    public bool Boolean(string key) => config.GetBoolean(Path(key));

    public int Int(string key, int min, int max)
    {
        var value = config.GetInt(Path(key));
        return value >= min && value <= max ? value : throw Invalid(key, $"must be between {min} and {max}, got {value}");
    }

    public double Double(string key, double min, double max)
    {
        var value = config.GetDouble(Path(key));
        return value >= min && value <= max ? value : throw Invalid(key, $"must be between {min} and {max}, got {value}");
    }

    public int Port(string key, bool allowEphemeral) =>
        allowEphemeral ? Int(key, 0, IPEndPoint.MaxPort) : Int(key, 1, IPEndPoint.MaxPort);

    /// <summary>A size in bytes (<c>8MiB</c>, <c>65536</c>) between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public long Bytes(string key, long min, long max)
    {
        var value = config.GetByteSize(Path(key));
        return value >= min && value <= max ? value : throw Invalid(key, $"must be a size between {min} and {max} bytes, got {value}");
    }

    /// <summary>A duration above zero (zero would mean "never" or a busy loop, neither of which is wanted).</summary>
    public TimeSpan PositiveDuration(string key)
    {
        var value = config.GetTimeSpan(Path(key));
        return value > TimeSpan.Zero ? value : throw Invalid(key, $"must be a duration above zero such as 5s, got {DurationFormat.Format(value)}");
    }

    public IPAddress Address(string key)
    {
        var text = String(key);
        return IPAddress.TryParse(text, out var address)
            ? address
            : throw Invalid(key, $"expected an IP address such as 127.0.0.1 or 0.0.0.0, got \"{text}\"");
    }

    /// <summary>An IP address or a host name, kept as text so that a name is looked up when the socket binds.</summary>
    public string Host(string key)
    {
        var text = String(key);
        return Uri.CheckHostName(text) != UriHostNameType.Unknown
            ? text
            : throw Invalid(key, $"expected an IP address or host name such as 127.0.0.1 or localhost, got \"{text}\"");
    }

    public ConfigException Invalid(string key, string problem) =>
        new(config.GetValue(Path(key))?.Origin, Path(key), problem);
}
