using System.Globalization;
using Gaze.Onnx;

namespace Gaze.Evaluation;

/// <summary>
/// Finds the class index a ground-truth class names. A label matches in full or by one of its comma-separated
/// synonyms, ignoring case: ImageNet's class 281 is <c>"tabby, tabby cat"</c>, and a boxes file may say <c>"tabby"</c>.
/// </summary>
internal static class LabelLookup
{
    /// <summary>
    /// The index of the label <paramref name="name"/> names, or null with <paramref name="problem"/> saying why
    /// not: unknown (with the nearest labels) or naming several classes.
    /// </summary>
    public static int? Find(string name, IReadOnlyList<string> labels, out string problem)
    {
        problem = "";
        // A whole label first, so that a label that is also another's synonym still names its own class.
        var matches = Matching(labels, label => string.Equals(label.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase));
        if (matches.Count == 0)
            matches = Matching(labels, label => Synonyms(label).Contains(name.Trim(), StringComparer.OrdinalIgnoreCase));
        if (matches.Count == 1) return matches[0];
        if (matches.Count > 1)
        {
            problem = $"'{name}' names several classes ({string.Join(", ", matches.Select(i => $"{Index(i)} '{labels[i]}'"))}); give the class index";
            return null;
        }
        var nearest = NameSuggestions.Nearest(name, labels.SelectMany(Synonyms), 3);
        problem = $"'{name}' is not one of the model's labels" + (nearest.Count > 0 ? $" (nearest: {string.Join(", ", nearest)})" : "");
        return null;
    }

    /// <summary>Null when <paramref name="index"/> is a class of <paramref name="labels"/>, else what is wrong.</summary>
    public static string? IndexProblem(int index, IReadOnlyList<string> labels) =>
        index >= 0 && index < labels.Count ? null
            : $"class {Index(index)} is outside the model's {Index(labels.Count)} labels (0 to {Index(labels.Count - 1)})";

    private static List<int> Matching(IReadOnlyList<string> labels, Func<string, bool> matches)
    {
        var found = new List<int>();
        for (int i = 0; i < labels.Count; i++)
        {
            if (matches(labels[i])) found.Add(i);
        }
        return found;
    }

    private static IEnumerable<string> Synonyms(string label) =>
        label.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string Index(int index) => index.ToString(CultureInfo.InvariantCulture);
}
