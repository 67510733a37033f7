namespace Gaze.Evaluation.Sanity;

/// <summary>
/// Spearman's rank correlation of two maps: the Pearson correlation of their values' ranks, tied values sharing the
/// average of the ranks they span (as scipy.stats.spearmanr). Adebayo et al. (NeurIPS 2018) compare saliency maps
/// before and after randomisation this way, with and without absolute values.
/// </summary>
public static class SpearmanCorrelation
{
    /// <summary>The rank correlation of <paramref name="a"/> and <paramref name="b"/> in [-1, 1]; 0 when either is constant.</summary>
    /// <exception cref="ArgumentException">The maps differ in length, or a value is not finite.</exception>
    public static double Of(IReadOnlyList<float> a, IReadOnlyList<float> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"maps of {a.Count} and {b.Count} values");
        return PearsonCorrelation.Of(Ranks(a), Ranks(b));
    }

    /// <summary>The 1-based ranks of <paramref name="values"/>, ties given the mean of their ranks.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    public static double[] Ranks(IReadOnlyList<float> values)
    {
        int n = values.Count;
        int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (!float.IsFinite(values[i])) throw new ArgumentException($"value {i} is {values[i]}", nameof(values));
            order[i] = i;
        }
        Array.Sort(order, (x, y) => values[x].CompareTo(values[y]));
        var ranks = new double[n];
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && values[order[end]] == values[order[start]]) end++;
            // Positions start..end-1 hold equal values: each gets the mean of ranks start+1..end.
            double rank = (start + 1 + end) / 2.0;
            for (int k = start; k < end; k++) ranks[order[k]] = rank;
            start = end;
        }
        return ranks;
    }
}
