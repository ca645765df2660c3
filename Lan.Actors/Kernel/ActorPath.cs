using System.Text;

namespace Lan.Actors.Kernel;

/// <summary>
/// Where an actor lives: <c>lan://system/user/lan/conn-1</c>. Paths are immutable; each incarnation of
/// an actor at the same path has a distinct <see cref="Uid"/>.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>, IComparable<ActorPath>
{
    /// <summary>The scheme of every local path.</summary>
    public const string Scheme = "lan";

    private ActorPath(string systemName, ActorPath? parent, string name, long uid)
    {
        SystemName = systemName;
        Parent = parent;
        Name = name;
        Uid = uid;
    }

    /// <summary>The name of the actor system this path belongs to.</summary>
    public string SystemName { get; }

    /// <summary>The parent path; null for the root.</summary>
    public ActorPath? Parent { get; }

    /// <summary>The last element: the actor's name among its siblings.</summary>
    public string Name { get; }

    /// <summary>Identifies one incarnation at this path; 0 for paths that name no incarnation.</summary>
    public long Uid { get; }

    /// <summary>How many elements below the root.</summary>
    public int Depth => Parent is null ? 0 : Parent.Depth + 1;

    /// <summary>The root path of a system.</summary>
    public static ActorPath Root(string systemName) => new(systemName, null, "", 0);

    /// <summary>The path of a child named <paramref name="name"/>.</summary>
    public ActorPath Child(string name, long uid = 0) => new(SystemName, this, name, uid);

    /// <summary>Appends a child name: <c>path / "child"</c>.</summary>
    public static ActorPath operator /(ActorPath path, string name) => path.Child(name);

    /// <summary>The elements below the root, outermost first.</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var elements = new List<string>(Depth);
            for (var p = this; p.Parent is not null; p = p.Parent)
            {
                elements.Add(p.Name);
            }
            elements.Reverse();
            return elements;
        }
    }

    /// <summary>The path without scheme and system: <c>/user/lan</c>.</summary>
    public string ToStringWithoutAddress()
    {
        if (Parent is null)
        {
            return "/";
        }
        var builder = new StringBuilder();
        foreach (var element in Elements)
        {
            builder.Append('/').Append(element);
        }
        return builder.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Scheme}://{SystemName}{ToStringWithoutAddress()}";

    /// <summary>Same system and same elements; the uid is not compared (as Akka's paths).</summary>
    public bool Equals(ActorPath? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || other.Name != Name || other.SystemName != SystemName)
        {
            return false;
        }
        return Equals(Parent, other.Parent);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ActorPath);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Parent?.GetHashCode() ?? SystemName.GetHashCode(StringComparison.Ordinal));

    /// <inheritdoc />
    public int CompareTo(ActorPath? other) => other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());

    /// <summary>Equality of paths.</summary>
    public static bool operator ==(ActorPath? left, ActorPath? right) => Equals(left, right);

    /// <summary>Inequality of paths.</summary>
    public static bool operator !=(ActorPath? left, ActorPath? right) => !Equals(left, right);

    /// <summary>Orders paths by their text.</summary>
    public static bool operator <(ActorPath left, ActorPath right) => left.CompareTo(right) < 0;

    /// <summary>Orders paths by their text.</summary>
    public static bool operator >(ActorPath left, ActorPath right) => left.CompareTo(right) > 0;

    /// <summary>Orders paths by their text.</summary>
    public static bool operator <=(ActorPath left, ActorPath right) => left.CompareTo(right) <= 0;

    /// <summary>Orders paths by their text.</summary>
    public static bool operator >=(ActorPath left, ActorPath right) => left.CompareTo(right) >= 0;

    /// <summary>
    /// Rejects names that cannot be a path element: empty, starting with '$' (reserved for generated
    /// names), or holding characters outside letters, digits and <c>-_.*+:@&amp;=,!~';</c>.
    /// </summary>
    public static void ValidateName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidActorNameException("Actor name must not be empty; pass null to get a generated name.");
        }
        if (name[0] == '$')
        {
            throw new InvalidActorNameException($"Actor name [{name}] must not start with '$': that prefix is reserved for generated names.");
        }
        foreach (var c in name)
        {
            if (!IsValidNameChar(c))
            {
                throw new InvalidActorNameException(
                    $"Actor name [{name}] holds the character '{c}'; use only letters, digits and -_.*+:@&=,!~';");
            }
        }
    }

    private static bool IsValidNameChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "-_.*+:@&=,!~';".Contains(c, StringComparison.Ordinal);
}
