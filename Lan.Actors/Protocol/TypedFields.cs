using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Lan.Actors.Protocol;

/// <summary>
/// Decides from a record's JSON metadata whether its fields can ever clash with <c>TYPE</c> or <c>CL</c>, so
/// <see cref="Packet.From{T}(string, T, JsonTypeInfo{T}, ReadOnlyMemory{byte})"/> re-reads only the packets that might.
/// </summary>
internal static class TypedFields
{
    public static bool CannotCollide<T>(JsonTypeInfo<T> typeInfo)
    {
        if (ReferenceEquals(ProvenSafe<T>.TypeInfo, typeInfo))
        {
            return true;
        }

        // Dictionaries, custom converters and extension data write names only known at run time; polymorphic
        // types write a discriminator and the properties of derived types, which the base metadata does not list.
        if (typeInfo.Kind != JsonTypeInfoKind.Object || typeInfo.PolymorphismOptions is not null)
        {
            return false;
        }

        foreach (JsonPropertyInfo property in typeInfo.Properties)
        {
            if (property.IsExtensionData || property.Name is PacketFields.Type or PacketFields.ContentLength)
            {
                return false;
            }
        }

        ProvenSafe<T>.TypeInfo = typeInfo;
        return true;
    }

    /// <summary>
    /// True when every field of <typeparamref name="T"/> is written as a JSON scalar (string, number, boolean, or null),
    /// so its packets nest exactly one level; decided once per metadata from the metadata alone.
    /// </summary>
    public static bool IsFlat<T>(JsonTypeInfo<T> typeInfo)
    {
        if (ReferenceEquals(ProvenFlat<T>.TypeInfo, typeInfo))
        {
            return true;
        }

        // Only plain source-generated metadata qualifies: converters on the options, resolver modifiers (which wrap the
        // context in another resolver) and type-level converters could all make a "scalar" write an object.
        if (typeInfo.Kind != JsonTypeInfoKind.Object || typeInfo.PolymorphismOptions is not null || typeInfo.Options.Converters.Count > 0
            || typeInfo.Options.TypeInfoResolver is not JsonSerializerContext)
        {
            return false;
        }

        foreach (JsonPropertyInfo property in typeInfo.Properties)
        {
            if (property.CustomConverter is not null || !IsScalar(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType))
            {
                return false;
            }
        }

        ProvenFlat<T>.TypeInfo = typeInfo;
        return true;
    }

    // No enums: an enum type may carry its own [JsonConverter] that writes anything.
    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan);

    private static class ProvenFlat<T>
    {
        public static JsonTypeInfo<T>? TypeInfo;
    }

    private static class ProvenSafe<T>
    {
        // The last metadata proven safe for T; usually the only one an application has.
        public static JsonTypeInfo<T>? TypeInfo;
    }
}
