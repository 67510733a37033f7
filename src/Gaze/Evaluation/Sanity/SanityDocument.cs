using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gaze.Evaluation.Sanity;

/// <summary>
/// Sanity check results as JSON, with snake_case names (issue #15):
/// <c>{"methods": [{"method", "verdict", "cascade": [{"layer", "spearman", "spearman_abs", "ssim", "hog"}], "independent": [...]}]}</c>.
/// </summary>
public static class SanityDocument
{
    /// <summary>The document of <paramref name="results"/>, after the fields of <paramref name="head"/> (model, seed, ...).</summary>
    public static JsonObject Of(IReadOnlyList<SanityResult> results, IEnumerable<KeyValuePair<string, JsonNode?>>? head = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var document = new JsonObject();
        foreach (var (key, value) in head ?? []) document[key] = value;
        document["methods"] = new JsonArray(results.Select(result => (JsonNode)new JsonObject
        {
            ["method"] = result.Method,
            ["verdict"] = result.Verdict.ToString().ToLowerInvariant(),
            ["verdict_step"] = result.VerdictStep,
            ["cascade"] = Steps(result.Cascade),
            ["independent"] = Steps(result.Independent),
        }).ToArray());
        return document;
    }

    /// <summary>The document as text, indented or on one line.</summary>
    public static string Serialize(JsonObject document, bool indented) =>
        document.ToJsonString(new JsonSerializerOptions { WriteIndented = indented });

    private static JsonArray Steps(IReadOnlyList<SanityStep> steps) => new(steps.Select(step => (JsonNode)new JsonObject
    {
        ["layer"] = step.Layer,
        ["spearman"] = Round(step.Spearman),
        ["spearman_abs"] = Round(step.SpearmanAbs),
        ["ssim"] = Round(step.Ssim),
        ["hog"] = Round(step.Hog),
    }).ToArray());

    private static double Round(double value) => Math.Round(value, 6);
}
