using Gaze.Reporting;

namespace Gaze.Explaining;

/// <summary>What an <see cref="ExplanationRun"/> wrote.</summary>
/// <param name="OutputDirectory">The output folder.</param>
/// <param name="ResultsPath">Its results.json (not written when <see cref="Written"/> is false).</param>
/// <param name="ReportPath">Its report.html (not written when <see cref="Written"/> is false).</param>
/// <param name="Results">The results as written (or as they would have been).</param>
/// <param name="Images">How many images were given.</param>
/// <param name="Failures">How many of them could not be explained (unreadable, or the model's numbers not finite).</param>
public sealed record ExplanationRunResult(string OutputDirectory, string ResultsPath, string ReportPath, ResultsDocument Results, int Images, int Failures)
{
    /// <summary>The distinct notes of the explanations (see <see cref="Attribution.Explanation.Notes"/>), in order of first appearance.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>
    /// False when no image could be explained: then no results.json or report.html exists, and the output folder
    /// only if it existed before the run.
    /// </summary>
    public bool Written { get; init; } = true;

    /// <summary>Whether the run reached every image (false after a cancellation).</summary>
    public bool Complete => Results.Complete;

    /// <summary>The images an interrupted run did not reach.</summary>
    public int ImagesLeft => Results.ImagesLeft;
}
