namespace Lan.Actors.TestKit;

/// <summary>
/// Every random choice of a proxy, derived from its seed and the numbers of the link and fault involved. A roll
/// depends on nothing else — not on which thread asks first, nor on how chunks happen to be cut — so a fixed
/// seed makes the same choices in every run.
/// </summary>
internal static class ChaosDice
{
    /// <summary>Whether fault <paramref name="fault"/> applies to link <paramref name="link"/>.</summary>
    public static bool Chooses(int seed, long link, int fault, double toxicity) =>
        toxicity switch
        {
            >= 1.0 => true,
            <= 0.0 => false,
            _ => new Random(SeedFor(seed, link, fault)).NextDouble() < toxicity,
        };

    /// <summary>The jitter source of one direction of one link; fault ids are positive, so these never collide with a roll.</summary>
    public static Random Jitter(int seed, long link, int direction) => new(SeedFor(seed, link, -1 - direction));

    private static int SeedFor(int seed, long link, long salt)
    {
        var mixed = Mix(Mix(Mix((uint)seed) ^ (ulong)link) ^ (ulong)salt);
        return (int)(mixed >> 33);
    }

    // SplitMix64's finaliser: neighbouring inputs (link 1, link 2) give unrelated outputs.
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
