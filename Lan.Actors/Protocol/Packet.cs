using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Lan.Actors.Protocol;

/// <summary>
/// One protocol packet: a UTF-8 JSON object with a <c>TYPE</c>, and optional binary content. Immutable and encoded once:
/// the JSON bytes are made when the packet is created (or kept as they arrived), so sending it to 1,000 peers
/// copies the same bytes 1,000 times and serializes nothing.
/// </summary>
public sealed partial class Packet : IEquatable<Packet>
{
    private readonly byte[] _json;
    private int _depth;
    private int _bracketCount;

    internal Packet(byte[] json, string type, ReadOnlyMemory<byte> content)
    {
        _json = json;
        Type = type;
        Content = content;
    }

    /// <summary>A packet whose depth is already known (a flat record, or measured while decoding), so encoders need not measure it.</summary>
    // Stryker disable once Block : equivalent: without the known depth the encoders measure the packet and find the same depth
    internal Packet(byte[] json, string type, ReadOnlyMemory<byte> content, int knownDepth)
        : this(json, type, content)
    {
        _depth = knownDepth;
        _bracketCount = knownDepth;
    }

    /// <summary>The packet type, matching <c>[A-Z0-9_]{1,64}</c>; see <see cref="PacketTypes"/> for the reserved ones.</summary>
    public string Type { get; }

    /// <summary>The encoded JSON object exactly as it goes on the wire (a datagram, or a frame after its length prefix).</summary>
    public ReadOnlyMemory<byte> Json => _json;

    /// <summary>The raw bytes after the frame; empty when the packet has no <c>CL</c>. Never base64'd.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>
    /// Whether the JSON might nest deeper than <paramref name="maxDepth"/>: the count of '{' and '[' bounds the depth
    /// and takes one vectorised pass, so the exact measurement is needed only for bracket-heavy packets.
    /// </summary>
    internal bool MayNestDeeperThan(int maxDepth)
    {
        if (_bracketCount == 0)
        {
            ReadOnlySpan<byte> json = _json;
            _bracketCount = json.Count((byte)'{') + json.Count((byte)'[');
        }

        // Stryker disable once Equality : equivalent for the bracket count's >=: the depth never exceeds it, so the exact check decides alike
        return _bracketCount > maxDepth && Depth > maxDepth;
    }

    /// <summary>How deep the JSON nests (the packet object alone is 1); measured once, when first needed.</summary>
    internal int Depth
    {
        get
        {
            // A benign race: two threads may both measure, and both store the same value.
            if (_depth == 0)
            {
                _depth = JsonDepth.Measure(_json);
            }

            return _depth;
        }
    }

    /// <summary>The bytes this packet occupies in a TCP stream: length prefix, JSON and content.</summary>
    public long FrameLength => FrameEncoder.PrefixLength + (long)_json.Length + Content.Length;

    /// <summary>Starts a packet of <paramref name="type"/>; add fields and content, then <see cref="PacketBuilder.Build"/>.</summary>
    public static PacketBuilder Create(string type) => new(type);

    /// <summary>
    /// Makes a packet of <typeparamref name="T"/>'s <c>TYPE</c> from <paramref name="value"/>'s fields. The packet keeps a reference
    /// to <paramref name="content"/> rather than a copy: do not change those bytes afterwards.
    /// </summary>
    public static Packet From<T>(T value, ReadOnlyMemory<byte> content = default)
        where T : ITypedPacket<T>
    {
        string type;
        byte[] prefix;
        try
        {
            type = TypedPrefix<T>.Type;
            prefix = TypedPrefix<T>.Bytes;
        }
        catch (TypeInitializationException e) when (e.InnerException is ArgumentException invalid)
        {
            // An invalid PacketType surfaces as the ArgumentException that explains it, not a TypeInitializationException.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(invalid);
            throw;
        }

        return From(type, prefix, value, T.JsonTypeInfo, content);
    }

    /// <summary>
    /// Makes a packet of <paramref name="type"/> from <paramref name="value"/>'s fields, for records that cannot implement
    /// <see cref="ITypedPacket{TSelf}"/>. The packet keeps a reference to <paramref name="content"/>: do not change those bytes afterwards.
    /// </summary>
    public static Packet From<T>(string type, T value, JsonTypeInfo<T> typeInfo, ReadOnlyMemory<byte> content = default)
    {
        PacketTypeName.Validate(type, nameof(type));
        return From(type, TypePrefix(type), value, typeInfo, content);
    }

    /// <summary><c>{"TYPE":"X"</c> as UTF-8: the start of every packet of type X.</summary>
    private static byte[] TypePrefix(string validType) => Encoding.ASCII.GetBytes("{\"TYPE\":\"" + validType + "\"");

    /// <summary>A typed record's TYPE, checked and encoded once per record type rather than once per packet.</summary>
    private static class TypedPrefix<T>
        where T : ITypedPacket<T>
    {
        public static readonly string Type = Validated(T.PacketType);
        public static readonly byte[] Bytes = TypePrefix(Type);

        private static string Validated(string type)
        {
            PacketTypeName.Validate(type, $"{typeof(T).Name}.PacketType");
            return type;
        }
    }

    private static Packet From<T>(string type, byte[] typePrefix, T value, JsonTypeInfo<T> typeInfo, ReadOnlyMemory<byte> content)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value), $"a {type} packet needs a {typeof(T).Name} to take its fields from");
        }

        byte[] json;
        using (PacketJsonWriter writer = PacketJsonWriter.Rent())
        {
            // TYPE (and CL) go first so a reader finds them without scanning the whole object.
            writer.Buffer.Write(typePrefix);
            if (!content.IsEmpty)
            {
                WriteAscii(writer, ",\"CL\":");
                WriteAscii(writer, content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            int fieldsStart = writer.Buffer.WrittenCount;
            if (typeInfo.SerializeHandler is { } fastPath && ReferenceEquals(typeInfo.Options, ReservedPacketJsonContext.Default.Options))
            {
                // The reserved packets (PING, MESSAGE, ...) are the hot path and their options are known to be the generated
                // ones, so the generator's fast-path writer gives the same bytes without the serializer's root bookkeeping.
                // Other metadata may come with runtime options (naming, modifiers) that only the serializer honours.
                fastPath(writer.Json, value);
            }
            else
            {
                JsonSerializer.Serialize(writer.Json, value, typeInfo);
            }
            writer.Json.Flush();
            json = SpliceFields<T>(writer.Buffer.WrittenSpan, fieldsStart);
        }

        if (!TypedFields.CannotCollide(typeInfo))
        {
            PacketHeader header;
            try
            {
                header = PacketHeaderParser.Parse(json, ProtocolSettings.MaxSupportedDepth, Array.MaxLength, isDatagram: false);
            }
            catch (ProtocolException e)
            {
                throw new ArgumentException($"{typeof(T).Name} cannot be sent as a packet: {e.Message}", nameof(value), e);
            }

            // A field of the record itself named CL would make the peer read that many bytes of the next frame as content.
            if (header.ContentLength != content.Length)
            {
                throw new ArgumentException(
                    $"{typeof(T).Name} cannot be sent as a packet: it writes CL = {header.ContentLength} but the packet has {content.Length} content bytes; rename its CL field",
                    nameof(value));
            }
        }

        // Stryker disable once Conditional : equivalent for false: an unknown depth is measured when needed, and a flat record measures 1
        return TypedFields.IsFlat(typeInfo) ? new Packet(json, type, content, knownDepth: 1) : new Packet(json, type, content);
    }

    /// <summary>
    /// Makes a packet from JSON text a user typed or a file holds. Checks it as the decoder would (TYPE, CL, depth) and copies it;
    /// <paramref name="content"/> must be exactly <c>CL</c> bytes long and is kept by reference.
    /// </summary>
    public static Packet Parse(ReadOnlySpan<byte> utf8Json, ReadOnlyMemory<byte> content = default, ProtocolSettings? settings = null)
    {
        settings ??= ProtocolSettings.Default;
        PacketHeader header = PacketHeaderParser.Parse(utf8Json, settings.MaxDepth, settings.MaxContentSize, isDatagram: false);
        if (header.ContentLength != content.Length)
        {
            throw new ArgumentException(
                $"the JSON says CL = {header.ContentLength} but {content.Length} content bytes were given; make them agree",
                nameof(content));
        }

        return new Packet(utf8Json.ToArray(), header.Type, content);
    }

    /// <summary>Makes a packet from JSON text; see <see cref="Parse(ReadOnlySpan{byte}, ReadOnlyMemory{byte}, ProtocolSettings?)"/>.</summary>
    public static Packet Parse(string json, ReadOnlyMemory<byte> content = default, ProtocolSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json), content, settings);
    }

    /// <summary>True when this packet's <c>TYPE</c> is <typeparamref name="T"/>'s.</summary>
    public bool Is<T>()
        where T : ITypedPacket<T> => Type == T.PacketType;

    /// <summary>
    /// Reads this packet as <typeparamref name="T"/>. Throws <see cref="InvalidOperationException"/> when the <c>TYPE</c> is another,
    /// and <see cref="ProtocolException"/> (<see cref="ProtocolError.InvalidJson"/>) when the fields do not fit the record.
    /// </summary>
    public T As<T>()
        where T : ITypedPacket<T>
    {
        if (Type != T.PacketType)
        {
            throw new InvalidOperationException(
                $"packet is {Type}, not {T.PacketType} ({typeof(T).Name}); check packet.Is<{typeof(T).Name}>() before reading it");
        }

        return As(T.JsonTypeInfo);
    }

    /// <summary>
    /// Reads this packet as <typeparamref name="T"/> when its <c>TYPE</c> is <typeparamref name="T"/>'s and its fields fit the
    /// record; false otherwise, without an exception to catch: the way to read a packet a peer chose.
    /// </summary>
    public bool TryAs<T>([NotNullWhen(true)] out T? value)
        where T : ITypedPacket<T>
    {
        value = default;
        if (Type != T.PacketType)
        {
            return false;
        }

        try
        {
            value = JsonSerializer.Deserialize(_json, T.JsonTypeInfo);
        }
        catch (JsonException)
        {
            return false;
        }

        return value is not null;
    }

    /// <summary>Reads this packet's fields as <typeparamref name="T"/> with the given source-generated metadata, whatever its <c>TYPE</c>.</summary>
    public T As<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        try
        {
            return JsonSerializer.Deserialize(_json, typeInfo)!;
        }
        catch (JsonException e)
        {
            throw new ProtocolException(ProtocolError.InvalidJson,
                $"packet {Type} does not fit {typeof(T).Name}: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public bool Equals(Packet? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Type == other.Type && _json.AsSpan().SequenceEqual(other._json) && Content.Span.SequenceEqual(other.Content.Span)));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Packet);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Type, _json.Length, Content.Length);

    /// <summary>The type, the JSON (shortened) and the content length, for logs.</summary>
    public override string ToString()
    {
        const int Shown = 200;
        string json = Encoding.UTF8.GetString(_json.AsSpan(0, Math.Min(_json.Length, Shown)));
        string more = _json.Length > Shown ? "…" : string.Empty;
        string content = Content.IsEmpty ? string.Empty : $" +{Content.Length} bytes";
        return $"{Type} {json}{more}{content}";
    }

    private static void WriteAscii(PacketJsonWriter writer, string ascii)
    {
        Span<byte> span = writer.Buffer.GetSpan(ascii.Length);
        int written = Encoding.ASCII.GetBytes(ascii, span);
        writer.Buffer.Advance(written);
    }

    /// <summary>Joins the TYPE/CL prefix and the serialized object: <c>{"TYPE":"X"</c> + <c>{"A":1}</c> becomes <c>{"TYPE":"X","A":1}</c>.</summary>
    private static byte[] SpliceFields<T>(ReadOnlySpan<byte> written, int fieldsStart)
    {
        ReadOnlySpan<byte> prefix = written[..fieldsStart];
        ReadOnlySpan<byte> fields = written[fieldsStart..];
        if (fields.Length < 2 || fields[0] != (byte)'{')
        {
            throw new ArgumentException($"{typeof(T).Name} must serialize to a JSON object to be sent as a packet; use a record or class, not a scalar or list");
        }

        bool noFields = fields.Length == 2;
        byte[] json = new byte[prefix.Length + (noFields ? 1 : fields.Length)];
        prefix.CopyTo(json);
        if (noFields)
        {
            json[^1] = (byte)'}';
        }
        else
        {
            json[prefix.Length] = (byte)',';
            fields[1..].CopyTo(json.AsSpan(prefix.Length + 1));
        }

        return json;
    }
}
