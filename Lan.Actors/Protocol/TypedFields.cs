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

    private static class ProvenSafe<T>
    {
        // The last metadata proven safe for T; usually the only one an application has.
        public static JsonTypeInfo<T>? TypeInfo;
    }
}
