#pragma warning disable CA1822 // placeholder until the HOCON reader lands
namespace Lan.Actors.Hocon;

/// <summary>
/// A resolved HOCON configuration tree. Placeholder for the contract the HOCON reader implements;
/// replaced by the real reader (issue 3).
/// </summary>
public sealed class Config
{
    private Config() { }

    /// <summary>A configuration with no paths.</summary>
    public static Config Empty { get; } = new();

    /// <summary>Parses HOCON text; <paramref name="origin"/> names the source in error messages.</summary>
    public static Config Parse(string text, string? origin = null) => throw new NotSupportedException(text + origin);

    /// <summary>Parses a HOCON file; includes resolve relative to it.</summary>
    public static Config Load(string path) => throw new NotSupportedException(path);

    /// <summary>The library's embedded reference.conf: every default.</summary>
    public static Config Reference => Empty;

    /// <summary>True when the configuration holds no paths.</summary>
    public bool IsEmpty => true;

    /// <summary>This configuration, with <paramref name="fallback"/> supplying paths it lacks.</summary>
    public Config WithFallback(Config fallback) => fallback;

    /// <summary>True when <paramref name="path"/> exists and is not null.</summary>
    public bool HasPath(string path) => false;

    /// <summary>The string at <paramref name="path"/>, or <paramref name="default"/> when absent.</summary>
    public string GetString(string path, string? @default = null) => @default ?? throw new NotSupportedException(path);

    /// <summary>The int at <paramref name="path"/>, or <paramref name="default"/> when absent.</summary>
    public int GetInt(string path, int? @default = null) => @default ?? throw new NotSupportedException(path);

    /// <summary>The long at <paramref name="path"/>, or <paramref name="default"/> when absent.</summary>
    public long GetLong(string path, long? @default = null) => @default ?? throw new NotSupportedException(path);

    /// <summary>The double at <paramref name="path"/>, or <paramref name="default"/> when absent.</summary>
    public double GetDouble(string path, double? @default = null) => @default ?? throw new NotSupportedException(path);

    /// <summary>The boolean at <paramref name="path"/>, or <paramref name="default"/> when absent.</summary>
    public bool GetBoolean(string path, bool? @default = null) => @default ?? throw new NotSupportedException(path);

    /// <summary>The duration at <paramref name="path"/>, or <paramref name="default"/> when absent.</summary>
    public TimeSpan GetTimeSpan(string path, TimeSpan? @default = null) => @default ?? throw new NotSupportedException(path);

    /// <summary>The size in bytes at <paramref name="path"/>, or <paramref name="default"/> when absent.</summary>
    public long GetByteSize(string path, long? @default = null) => @default ?? throw new NotSupportedException(path);

    /// <summary>The list of strings at <paramref name="path"/>.</summary>
    public IReadOnlyList<string> GetStringList(string path) => [];

    /// <summary>The sub-tree at <paramref name="path"/>, or <see cref="Empty"/>.</summary>
    public Config GetConfig(string path) => Empty;

    /// <summary>The resolved tree as JSON.</summary>
    public string ToJson() => "{}";
}
