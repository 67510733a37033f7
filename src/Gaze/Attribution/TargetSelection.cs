using System.Globalization;
using Gaze.Errors;

namespace Gaze.Attribution;

/// <summary>
/// Which classes to explain for each image: the K best-scoring classes (<c>top1</c>, the default, or <c>topK</c>),
/// or one fixed class given by index or by label.
/// </summary>
public sealed class TargetSelection
{
    private readonly int? fixedClass;
    private readonly int top;

    private TargetSelection(int? fixedClass, int top, string text)
    {
        this.fixedClass = fixedClass;
        this.top = top;
        Text = text;
    }

    /// <summary>The default: the best-scoring class of each image.</summary>
    public static TargetSelection Top1 { get; } = new(null, 1, "top1");

    /// <summary>The selection as written (normalised), for reports.</summary>
    public string Text { get; }

    /// <summary>How many classes each image gets explained for (K of topK; 1 otherwise).</summary>
    public int Count => top;

    /// <summary>The fixed class, or null when the classes depend on each image's scores.</summary>
    public int? FixedClass => fixedClass;

    /// <summary>
    /// Parses <c>top1</c>, <c>topK</c>, a class index, or a label (case-insensitive; a label line such as
    /// "tabby, tabby cat" matches as a whole or by any of its comma-separated names).
    /// </summary>
    /// <param name="text">What the user wrote.</param>
    /// <param name="labels">The model's labels, if it has any.</param>
    /// <param name="classCount">How many classes the model scores.</param>
    /// <param name="option">The option that gave the text, for messages.</param>
    /// <exception cref="InvalidOptionException">Not a valid target, an index out of range, or an unknown or ambiguous label.</exception>
    public static TargetSelection Parse(string text, IReadOnlyList<string>? labels, int classCount, string option = "--target")
    {
        string trimmed = text.Trim();
        if (trimmed.Length == 0) throw new InvalidOptionException(option, "empty target; use top1, topK, a class index or a label");
        if (trimmed.StartsWith("top", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(trimmed.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out int k))
        {
            if (k < 1 || k > classCount)
                throw new InvalidOptionException(option, $"'{trimmed}': K must be between 1 and the model's {classCount} classes");
            return new TargetSelection(null, k, $"top{k}");
        }
        if (int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int index))
        {
            if (index < 0 || index >= classCount)
                throw new InvalidOptionException(option, $"class index {index} is out of range; the model has classes 0..{classCount - 1}");
            return new TargetSelection(index, 1, index.ToString(CultureInfo.InvariantCulture));
        }
        return new TargetSelection(LabelIndex(trimmed, labels, option), 1, trimmed);
    }

    /// <summary>The classes to explain for an image with the given scores, best first for <c>topK</c>.</summary>
    public IReadOnlyList<int> Resolve(IReadOnlyList<float> scores)
    {
        if (fixedClass is int c) return [c];
        return Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(top).ToList();
    }

    private static int LabelIndex(string label, IReadOnlyList<string>? labels, string option)
    {
        if (labels is null || labels.Count == 0)
            throw new InvalidOptionException(option, $"'{label}' is not top1, topK or a class index, and the model has no labels to look it up in");
        var exact = new List<int>();
        for (int i = 0; i < labels.Count; i++)
        {
            if (Names(labels[i]).Prepend(labels[i].Trim()).Any(n => string.Equals(n, label, StringComparison.OrdinalIgnoreCase)))
                exact.Add(i);
        }
        if (exact.Count == 1) return exact[0];
        if (exact.Count > 1)
            throw new InvalidOptionException(option, $"label '{label}' is ambiguous: {Candidates(exact, labels)}; use a class index");
        var containing = Enumerable.Range(0, labels.Count)
            .Where(i => labels[i].Contains(label, StringComparison.OrdinalIgnoreCase)).Take(10).ToList();
        if (containing.Count == 0)
        {
            containing = Enumerable.Range(0, labels.Count)
                .OrderBy(i => Names(labels[i]).DefaultIfEmpty("").Min(n => Onnx.NameSuggestions.Distance(label, n))).ThenBy(i => i).Take(5).ToList();
        }
        throw new InvalidOptionException(option, $"unknown label '{label}'; candidates: {Candidates(containing, labels)}");
    }

    private static IEnumerable<string> Names(string line) =>
        line.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Candidates(IEnumerable<int> indices, IReadOnlyList<string> labels) =>
        string.Join("; ", indices.Select(i => $"{i} {labels[i].Trim()}"));
}
