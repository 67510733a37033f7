namespace Gaze.Datasets;

/// <summary>
/// Steele, Lea and Flood's SplitMix64: a 64-bit counter passed through a strong bit mixer. Used to expand small
/// seeds into well-spread generator states, as the xoshiro authors recommend.
/// </summary>
internal struct SplitMix64(ulong state)
{
    private const ulong GoldenGamma = 0x9E3779B97F4A7C15;

    private ulong state = state;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        state += GoldenGamma;
        return Mix(state);
    }

    /// <summary>The finaliser alone: a bijective scramble of <paramref name="z"/>, so distinct inputs stay distinct.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
