namespace Lan.Actors.Hocon;

/// <summary>The duplicate-key rule of HOCON: objects merge field by field, anything else replaces.</summary>
internal static class ValueMerger
{
    /// <summary>
    /// <paramref name="newer"/> defined after (or in front of, for fallbacks) <paramref name="older"/>.
    /// When the outcome depends on a substitution, both are kept in a <see cref="MergeStack"/> for the resolver.
    /// </summary>
    public static HoconValue MergeOver(HoconValue newer, HoconValue older)
    {
        if (newer is HoconObject newerObject)
        {
            return older switch
            {
                HoconObject olderObject => MergeObjects(newerObject, olderObject),
                // Merge into the top literal object so a chain of object definitions stays one layer.
                MergeStack { Layers: [.., HoconObject top] } stack =>
                    new MergeStack(newer.Origin, [.. stack.Layers.Take(stack.Layers.Count - 1), MergeObjects(newerObject, top)]),
                MergeStack stack => new MergeStack(newer.Origin, [.. stack.Layers, newer]),
                Substitution or Concatenation => new MergeStack(newer.Origin, [older, newer]),
                _ => newer,
            };
        }

        if (newer is Substitution or Concatenation)
        {
            // May refer to the older value (self-reference) or resolve to an object that merges with it.
            return older is MergeStack olderStack
                ? new MergeStack(newer.Origin, [.. olderStack.Layers, newer])
                : new MergeStack(newer.Origin, [older, newer]);
        }

        if (newer is MergeStack newerStack)
        {
            var below = older is MergeStack olderStack ? olderStack.Layers : [older];
            return new MergeStack(newer.Origin, [.. below, .. newerStack.Layers]);
        }

        return newer;
    }

    public static HoconObject MergeObjects(HoconObject newer, HoconObject older)
    {
        // Stryker disable once Block : equivalent: merging an empty object adds nothing; the shortcut only skips a copy
        if (newer.Count == 0)
        {
            return older;
        }

        // Stryker disable once Block : equivalent: merging over an empty object adds nothing; the shortcut only skips a copy
        if (older.Count == 0)
        {
            return newer;
        }

        var builder = ObjectBuilder.From(older);
        foreach (var key in newer.Keys)
        {
            builder.Set(key, newer[key]);
        }

        return builder.Build();
    }
}
