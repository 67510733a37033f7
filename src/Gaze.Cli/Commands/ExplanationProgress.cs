using Gaze.Explaining;
using Gaze.Models;

namespace Gaze.Cli.Commands;

/// <summary>
/// An <see cref="ExplanationRun"/> as <c>explain</c> and <c>demo</c> show it: a progress bar, one line per failed
/// image, and with <c>--verbose</c> the explanations' notes (such as which engine computed the gradients).
/// </summary>
public static class ExplanationProgress
{
    /// <summary>Runs the explanation of <paramref name="paths"/> and returns what it wrote.</summary>
    public static ExplanationRunResult Run(CliContext context, LoadedModel model, ExplanationRequest request, IReadOnlyList<string> paths)
    {
        using var run = new ExplanationRun(model, request);
        ExplanationRunResult? result = null;
        context.WithProgress("explaining", paths.Count, step =>
            result = run.Write(paths, (_, message) => context.Error.WriteLine($"gaze: {message}"), step));
        foreach (string note in result!.Notes) context.Note(note);
        return result;
    }
}
