using Gaze.Reporting;

namespace Gaze.Explaining;

/// <summary>What an <see cref="ExplanationRun"/> wrote.</summary>
/// <param name="OutputDirectory">The output folder.</param>
/// <param name="ResultsPath">Its results.json.</param>
/// <param name="ReportPath">Its report.html.</param>
/// <param name="Results">The results as written.</param>
/// <param name="Images">How many images were given.</param>
/// <param name="Failures">How many of them could not be read.</param>
public sealed record ExplanationRunResult(string OutputDirectory, string ResultsPath, string ReportPath, ResultsDocument Results, int Images, int Failures)
{
    /// <summary>The distinct notes of the explanations (see <see cref="Attribution.Explanation.Notes"/>), in order of first appearance.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
