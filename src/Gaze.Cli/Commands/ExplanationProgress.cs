using Gaze.Explaining;
using Gaze.Models;

namespace Gaze.Cli.Commands;

/// <summary>
/// An <see cref="ExplanationRun"/> as <c>explain</c> and <c>demo</c> show it: a progress bar, one line per failed
/// image, and with <c>--verbose</c> the explanations' notes (such as which engine computed the gradients). Ctrl+C or
/// SIGTERM stops the run after the current batch with the finished images written (see <see cref="Outcome"/>).
/// </summary>
public static class ExplanationProgress
{
    /// <summary>Runs the explanation of <paramref name="paths"/> and returns what it wrote.</summary>
    public static ExplanationRunResult Run(CliContext context, LoadedModel model, ExplanationRequest request, IReadOnlyList<string> paths)
    {
        using var run = new ExplanationRun(model, request);
        CancellationToken cancellation = context.Interruption.Observe();
        context.Interruption.Abort = run.Abandon;
        ExplanationRunResult? result = null;
        try
        {
            context.WithProgress("explaining", paths.Count, step =>
                result = run.Write(paths, (_, message) => context.Error.WriteLine($"gaze: {message}"), step, cancellation));
        }
        finally
        {
            context.Interruption.Abort = null;
        }
        foreach (string note in result!.Notes) context.Note(note);
        return result;
    }

    /// <summary>
    /// The exit code for a finished <paramref name="result"/>, after printing the one line an interrupted run owes the
    /// user: 130/143 when interrupted, 2 when no image could be explained (nothing was written), 4 when some failed,
    /// else 0.
    /// </summary>
    public static int Outcome(CliContext context, ExplanationRunResult result)
    {
        if (!result.Complete)
        {
            int done = result.Images - result.ImagesLeft;
            context.Error.WriteLine(result.Written
                ? $"gaze: interrupted after {done} of {result.Images} images; partial results in {result.OutputDirectory}"
                : $"gaze: interrupted after {done} of {result.Images} images; nothing written");
            return context.Interruption.ExitCode;
        }
        // Every failure was reported on its own line already; one bad image stays one line.
        if (!result.Written) return ExitCodes.UsageError;
        return result.Failures == 0 ? ExitCodes.Success : ExitCodes.PartialSuccess;
    }
}
