namespace Gaze.Datasets;

/// <summary>
/// A small, fast pseudo-random generator (Blackman and Vigna's xoshiro256**) whose sequence is fixed by this code
/// alone, unlike <see cref="System.Random"/>, whose algorithm may change between .NET versions. Data generated from
/// a seed is therefore the same on every machine and runtime.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong s0, s1, s2, s3;

    /// <summary>A generator whose whole sequence is determined by <paramref name="seed"/>.</summary>
    public DeterministicRandom(ulong seed)
    {
        var expander = new SplitMix64(seed);
        s0 = expander.Next();
        s1 = expander.Next();
        s2 = expander.Next();
        s3 = expander.Next();
    }

    /// <summary>A generator starting from the raw state; for checking against the algorithm's reference outputs.</summary>
    internal DeterministicRandom(ulong s0, ulong s1, ulong s2, ulong s3) => (this.s0, this.s1, this.s2, this.s3) = (s0, s1, s2, s3);

    /// <summary>
    /// An independent stream for item <paramref name="index"/> of the data set seeded with <paramref name="seed"/>.
    /// Each item can be generated alone, in any order or in parallel, with the same result.
    /// </summary>
    public static DeterministicRandom ForItem(long seed, long index)
    {
        // Mix is a bijection, so different seeds give different first keys; the index is folded in with a second mix.
        ulong key = SplitMix64.Mix((ulong)seed ^ 0x6A09E667F3BCC909);
        return new DeterministicRandom(SplitMix64.Mix(key ^ ((ulong)index * 0x9E3779B97F4A7C15)));
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>A uniform number in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform number in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is not positive.</exception>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        // Lemire's multiply-shift on the top 32 bits: no division, bias below 2^-32 * maxExclusive.
        return (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);
    }

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int min, int maxExclusive) => min + NextInt(maxExclusive - min);

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Puts <paramref name="items"/> in a uniformly random order (Fisher-Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
