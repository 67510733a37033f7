namespace Gaze.Onnx;

/// <summary>Finds the names closest to a misspelt one, for "did you mean" messages.</summary>
public static class NameSuggestions
{
    /// <summary>Up to <paramref name="count"/> of <paramref name="candidates"/> nearest to <paramref name="name"/> by edit distance.</summary>
    public static IReadOnlyList<string> Nearest(string name, IEnumerable<string> candidates, int count = 5) =>
        candidates.Distinct(StringComparer.Ordinal)
            .Select(c => (c, d: Distance(name, c)))
            .OrderBy(x => x.d).ThenBy(x => x.c.Length).ThenBy(x => x.c, StringComparer.Ordinal)
            .Take(count).Select(x => x.c).ToList();

    /// <summary>Levenshtein distance (insertions, deletions, substitutions), case-insensitive.</summary>
    public static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
