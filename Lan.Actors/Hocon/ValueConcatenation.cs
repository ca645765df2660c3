namespace Lan.Actors.Hocon;

/// <summary>Joins the parts of a value concatenation once they are known: lists append, objects merge.</summary>
internal static class ValueConcatenation
{
    /// <summary>Combines parts that are all lists or all objects (spaces already dropped).</summary>
    public static HoconValue Combine(ConfigOrigin origin, IReadOnlyList<HoconValue> parts, string path)
    {
        if (parts.All(part => part is HoconArray))
        {
            return new HoconArray(origin, [.. parts.SelectMany(part => ((HoconArray)part).Items)]);
        }

        if (parts.All(part => part is HoconObject))
        {
            var merged = (HoconObject)parts[0];
            for (var i = 1; i < parts.Count; i++)
            {
                merged = ValueMerger.MergeObjects((HoconObject)parts[i], merged);
            }

            return merged;
        }

        var first = parts[0];
        var odd = parts.First(part => part.GetType() != first.GetType());
        throw new ConfigException(origin, path, $"cannot concatenate {first.Describe()} with {odd.Describe()}; only strings, only lists or only objects can be joined");
    }
}
