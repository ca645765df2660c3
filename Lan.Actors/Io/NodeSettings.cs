using Lan.Actors.Hocon;

namespace Lan.Actors.Io;

/// <summary>Who this node says it is (<c>lan.node</c>) in discovery and in the TCP handshake.</summary>
/// <param name="Name">Human-readable name; the machine name when the setting is empty.</param>
/// <param name="App">Application name; nodes only talk to nodes of the same app.</param>
/// <param name="Id">Node id; a fresh random id when the setting is empty.</param>
public sealed record NodeSettings(string Name, string App, string Id)
{
    /// <summary>The root key these settings are read from.</summary>
    public const string RootKey = "lan.node";

    private const int MaxLength = 64;

    // The id FromConfig made up for an empty lan.node.id; an id set later (settings with { Id = ... }) is kept as given.
    private string? _generatedId;

    /// <summary>
    /// True when <c>lan.node.id</c> was empty and <see cref="Id"/> is the one made up here: every node started from
    /// these settings then gets a fresh id of its own, so one settings object can start several nodes in one process.
    /// </summary>
    public bool IdGenerated => _generatedId is not null && string.Equals(Id, _generatedId, StringComparison.Ordinal);

    /// <summary>Equal when the name, app and id are: how the id came about does not make two settings differ.</summary>
    public bool Equals(NodeSettings? other) =>
        other is not null && Name == other.Name && App == other.App && Id == other.Id;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, App, Id);

    /// <summary>These settings for one node: a fresh id when the id was generated, the same settings otherwise.</summary>
    public NodeSettings ForOneNode() => IdGenerated ? this with { Id = NewId() } : this;

    private static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>Reads <c>lan.node</c>, filling an empty name with the machine name and an empty id with a new one.</summary>
    /// <exception cref="ConfigException">A setting is missing, too long or holds control characters.</exception>
    public static NodeSettings FromConfig(HoconConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var read = new SettingsReader(config, RootKey);
        var name = Checked(read, "name", allowEmpty: true);
        var app = Checked(read, "app", allowEmpty: false);
        var id = Checked(read, "id", allowEmpty: true);
        var generated = id.Length == 0 ? NewId() : null;
        return new NodeSettings(name.Length == 0 ? Environment.MachineName : name, app, generated ?? id) { _generatedId = generated };
    }

    private static string Checked(SettingsReader read, string key, bool allowEmpty)
    {
        var value = read.String(key);
        if (value.Length == 0 && !allowEmpty)
        {
            throw read.Invalid(key, "must not be empty");
        }

        if (value.Length > MaxLength || value.Any(char.IsControl))
        {
            throw read.Invalid(key, $"must be at most {MaxLength} printable characters, got \"{value}\"");
        }

        return value;
    }
}
