using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;

namespace Lan.Actors.Protocol;

/// <summary>
/// Maps <c>TYPE</c>s to records so a handler can turn any packet into its record and pattern-match on it
/// (<c>switch (registry.Decode(packet)) { case ChatLine line: ... }</c>). Registration is explicit and uses
/// source-generated metadata, so nothing is discovered by reflection and it works under AOT and trimming.
/// </summary>
internal sealed class PacketRegistry
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>A registry that knows every reserved packet record (<see cref="TextMessage"/>, <see cref="Ping"/>, ...).</summary>
    public static PacketRegistry WithReservedTypes() =>
        new PacketRegistry()
            .Register<ClientHello>()
            .Register<ServerHello>()
            .Register<ServerBye>()
            .Register<Hello>()
            .Register<Welcome>()
            .Register<Reject>()
            .Register<Ping>()
            .Register<Pong>()
            .Register<Disconnect>()
            .Register<TextMessage>();

    /// <summary>Registers <typeparamref name="T"/> under its own <c>TYPE</c>.</summary>
    public PacketRegistry Register<T>()
        where T : ITypedPacket<T> =>
        Register(T.PacketType, T.JsonTypeInfo);

    /// <summary>Registers <typeparamref name="T"/> under <paramref name="type"/>, for records that cannot implement <see cref="ITypedPacket{TSelf}"/>.</summary>
    public PacketRegistry Register<T>(string type, JsonTypeInfo<T> typeInfo)
    {
        PacketTypeName.Validate(type, nameof(type));
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (_entries.TryGetValue(type, out Entry existing) && existing.RecordType != typeof(T))
        {
            throw new ArgumentException(
                $"TYPE {type} is already registered for {existing.RecordType.Name}; give {typeof(T).Name} a TYPE of its own", nameof(type));
        }

        _entries[type] = new Entry(typeof(T), packet => packet.As(typeInfo));
        PacketTypeName.Share(type);
        return this;
    }

    /// <summary>True when a record is registered for <paramref name="type"/>.</summary>
    public bool IsRegistered(string type) => _entries.ContainsKey(type);

    /// <summary>Reads <paramref name="packet"/> as its registered record; false when its TYPE is not registered.</summary>
    public bool TryDecode(Packet packet, [NotNullWhen(true)] out object? record)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (_entries.TryGetValue(packet.Type, out Entry entry))
        {
            record = entry.Read(packet);
            return record is not null;
        }

        record = null;
        return false;
    }

    /// <summary>Reads <paramref name="packet"/> as its registered record, or returns the packet itself when its TYPE is not registered.</summary>
    public object Decode(Packet packet) => TryDecode(packet, out object? record) ? record : packet;

    private readonly record struct Entry(Type RecordType, Func<Packet, object?> Read);
}
