using System.Text;

namespace Lan.Actors.Security;

/// <summary>How a node came to be trusted.</summary>
public enum TrustOrigin
{
    /// <summary>A person added its ID (<c>lan-node trust add</c>).</summary>
    Added,

    /// <summary>Two people compared a code and confirmed (<c>lan-node pair</c>).</summary>
    Paired,

    /// <summary>Pinned the first time its name was seen, under <c>lan.security.trust = tofu</c>.</summary>
    FirstUse,
}

/// <summary>One trusted node.</summary>
/// <param name="Id">Its ID.</param>
/// <param name="Alias">The name people know it by; a name resolves only to the IDs stored under it.</param>
/// <param name="Origin">How it came to be trusted.</param>
public sealed record TrustedPeer(NodeId Id, string Alias, TrustOrigin Origin);

/// <summary>What trust-on-first-use made of a name and the ID it showed.</summary>
public enum FirstUseOutcome
{
    /// <summary>The ID was trusted already.</summary>
    Known,

    /// <summary>The name had no ID yet: this one is pinned to it from now on.</summary>
    Pinned,

    /// <summary>The name is pinned to another ID: refuse, as ssh refuses a changed host key.</summary>
    Changed,
}

/// <summary>
/// The IDs this node trusts, kept in a text file beside its identity (one node a line: ID, origin, alias, tab
/// separated; lines starting with # are comments). Read again when another process (<c>lan-node trust add</c>)
/// changed it, so a running node sees a new trust at its next look-up. Safe to use from any thread.
/// </summary>
public sealed class TrustStore
{
    /// <summary>The store's file name in an identity folder.</summary>
    public const string FileName = "trusted.txt";

    /// <summary>The longest alias kept.</summary>
    public const int MaxAliasLength = 64;

    private readonly string? _path;
    private readonly Lock _gate = new();
    private List<TrustedPeer> _peers = [];
    private (DateTime Written, long Length) _readVersion;

    private TrustStore(string? path) => _path = path;

    /// <summary>The file behind the store; null for one held in memory.</summary>
    public string? Path => _path;

    /// <summary>The store in <paramref name="path"/>; a missing file is an empty store, created at the first change.</summary>
    /// <exception cref="IdentityException">The file is unreadable or holds a line that is not a trusted node.</exception>
    public static TrustStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var store = new TrustStore(path);
        store.RefreshLocked();
        return store;
    }

    /// <summary>A store held in memory only, for specs and one-off tools.</summary>
    public static TrustStore InMemory(params TrustedPeer[] peers) => new(null) { _peers = [.. peers] };

    /// <summary>Every trusted node, in the order they were added.</summary>
    public IReadOnlyList<TrustedPeer> Peers
    {
        get
        {
            lock (_gate)
            {
                RefreshLocked();
                return [.. _peers];
            }
        }
    }

    /// <summary>The entry for <paramref name="id"/>, or null when it is not trusted.</summary>
    public TrustedPeer? Find(NodeId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            RefreshLocked();
            return _peers.Find(peer => peer.Id.Equals(id));
        }
    }

    /// <summary>True when <paramref name="id"/> is trusted.</summary>
    public bool IsTrusted(NodeId id) => Find(id) is not null;

    /// <summary>Trusts <paramref name="id"/> under <paramref name="alias"/> (a new alias replaces the old one); false when nothing changed.</summary>
    /// <exception cref="ArgumentException">The alias is too long or holds control characters or tabs.</exception>
    public bool Add(NodeId id, string alias, TrustOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(id);
        CheckAlias(alias);
        lock (_gate)
        {
            RefreshLocked();
            var at = _peers.FindIndex(peer => peer.Id.Equals(id));
            var entry = new TrustedPeer(id, alias, origin);
            if (at >= 0 && _peers[at] == entry)
            {
                return false;
            }

            if (at >= 0)
            {
                _peers[at] = entry;
            }
            else
            {
                _peers.Add(entry);
            }

            WriteLocked();
            return true;
        }
    }

    /// <summary>Stops trusting the node <paramref name="idOrAlias"/> names (an ID, or every entry under an alias); the entries removed.</summary>
    public IReadOnlyList<TrustedPeer> Remove(string idOrAlias)
    {
        ArgumentNullException.ThrowIfNull(idOrAlias);
        lock (_gate)
        {
            RefreshLocked();
            var removed = NodeId.TryParse(idOrAlias, out var id, out _)
                ? _peers.FindAll(peer => peer.Id.Equals(id))
                : _peers.FindAll(peer => string.Equals(peer.Alias, idOrAlias, StringComparison.Ordinal));
            if (removed.Count > 0)
            {
                _peers.RemoveAll(removed.Contains);
                WriteLocked();
            }

            return removed;
        }
    }

    /// <summary>
    /// Trust on first use, as ssh's known_hosts: an ID trusted already is <see cref="FirstUseOutcome.Known"/>; a name no
    /// entry carries pins <paramref name="id"/> under it; a name whose entries all name other IDs is
    /// <see cref="FirstUseOutcome.Changed"/>, and nothing is stored.
    /// </summary>
    public FirstUseOutcome PinOnFirstUse(string name, NodeId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            RefreshLocked();
            if (_peers.Exists(peer => peer.Id.Equals(id)))
            {
                return FirstUseOutcome.Known;
            }

            if (_peers.Exists(peer => string.Equals(peer.Alias, name, StringComparison.Ordinal)))
            {
                return FirstUseOutcome.Changed;
            }

            _peers.Add(new TrustedPeer(id, ToAlias(name), TrustOrigin.FirstUse));
            WriteLocked();
            return FirstUseOutcome.Pinned;
        }
    }

    /// <summary>The IDs stored under <paramref name="alias"/>.</summary>
    public IReadOnlyList<NodeId> IdsNamed(string alias)
    {
        lock (_gate)
        {
            RefreshLocked();
            return _peers.Where(peer => string.Equals(peer.Alias, alias, StringComparison.Ordinal)).Select(peer => peer.Id).ToList();
        }
    }

    private static void CheckAlias(string alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        if (alias.Length > MaxAliasLength || alias.Any(char.IsControl))
        {
            throw new ArgumentException($"an alias is at most {MaxAliasLength} printable characters", nameof(alias));
        }
    }

    /// <summary>A name a peer chose, in a form an alias may take: without control characters, at most <see cref="MaxAliasLength"/> long.</summary>
    public static string ToAlias(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var printable = new string(name.Where(c => !char.IsControl(c)).ToArray());
        return printable.Length <= MaxAliasLength ? printable : printable[..MaxAliasLength];
    }

    private void RefreshLocked()
    {
        if (_path is null)
        {
            return;
        }

        var info = new FileInfo(_path);
        var version = info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1L);
        if (version == _readVersion)
        {
            return;
        }

        _peers = info.Exists ? Read(_path) : [];
        _readVersion = version;
    }

    private static List<TrustedPeer> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IdentityException($"could not read the trust store {path}: {e.Message}", e);
        }

        var peers = new List<TrustedPeer>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('\t', 3);
            if (fields.Length < 2 || !NodeId.TryParse(fields[0], out var id, out _)
                || !Enum.TryParse<TrustOrigin>(fields[1], ignoreCase: false, out var origin) || !Enum.IsDefined(origin))
            {
                throw new IdentityException($"{path}:{i + 1}: not a trusted node (ID, tab, Added | Paired | FirstUse, tab, alias); fix or delete the line");
            }

            peers.Add(new TrustedPeer(id, fields.Length > 2 ? fields[2] : "", origin));
        }

        return peers;
    }

    private void WriteLocked()
    {
        if (_path is null)
        {
            return;
        }

        var text = new StringBuilder("# lan-node trust store: one trusted node a line: ID, tab, how (Added | Paired | FirstUse), tab, alias\n");
        foreach (var peer in _peers)
        {
            text.Append(peer.Id).Append('\t').Append(peer.Origin).Append('\t').Append(peer.Alias).Append('\n');
        }

        // Written aside and moved over, so a reader never sees half a file.
        var temporary = _path + ".new";
        try
        {
            var folder = System.IO.Path.GetDirectoryName(_path);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(temporary, new UTF8Encoding(false), options))
            {
                writer.Write(text.ToString());
            }

            File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IdentityException($"could not write the trust store {_path}: {e.Message}", e);
        }

        var info = new FileInfo(_path);
        _readVersion = (info.LastWriteTimeUtc, info.Length);
    }
}
