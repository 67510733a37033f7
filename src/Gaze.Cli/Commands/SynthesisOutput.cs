using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Reporting;
using Gaze.Synthesis;
using Spectre.Console;
using static TorchSharp.torch;

namespace Gaze.Cli.Commands;

/// <summary>
/// What the synthesis commands (fool, visualize, …) share on the command line: the progress bar with the current
/// measure, and the output folder, claimed only once the optimisation has finished so that a bad option, an error or
/// Ctrl+C leaves nothing behind.
/// </summary>
internal sealed class SynthesisOutput
{
    private readonly Option<string?> output = new("--out", "-o") { Description = "Output directory (default: a new folder under gaze-out/)", HelpName = "DIR" };
    private readonly Option<bool> overwrite = new("--overwrite") { Description = "Write into --out even if it is not empty" };

    /// <summary>Adds <c>--out</c> and <c>--overwrite</c> to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(output);
        command.Add(overwrite);
    }

    /// <summary>The one class <paramref name="text"/> names (an index or a label) for <paramref name="model"/>.</summary>
    /// <exception cref="Errors.InvalidOptionException">Not a class of the model, or a top-K selection (names <c>--target</c>).</exception>
    public static int TargetClass(LoadedModel model, string text) =>
        Attribution.TargetSelection.Parse(text, model.Labels, model.ClassCount).FixedClass
        ?? throw new Errors.InvalidOptionException("--target", $"'{text}': give one class, not a top-K selection");

    /// <summary>
    /// <paramref name="image"/> as an input of <paramref name="model"/> (channels first) whose shorter side is
    /// <paramref name="side"/> pixels, keeping the aspect ratio; null for the model's own input size.
    /// </summary>
    public static Tensor Input(LoadedModel model, RgbImage image, int? side)
    {
        ModelInput input = model.Input with { Layout = TensorLayout.NCHW };
        if (side is int s)
        {
            double scale = (double)s / Math.Min(image.Width, image.Height);
            input = input with
            {
                Size = new InputSize(Math.Max(1, (int)Math.Round(image.Height * scale)), Math.Max(1, (int)Math.Round(image.Width * scale))),
                Resize = ResizeMode.Stretch,
            };
        }
        return new ImagePreprocessor(input).Preprocess(image);
    }

    /// <summary>The picture in <paramref name="x"/> [1,C,H,W] (channels first, the model's normalisation), 8-bit.</summary>
    public static RgbImage Picture(LoadedModel model, Tensor x) => new ImageDeprocessor(model.Input with { Layout = TensorLayout.NCHW }).ToImage(x);

    /// <summary>The final picture of <paramref name="result"/> and its snapshots for the contact sheet.</summary>
    public static SynthesisPictures Pictures(LoadedModel model, SynthesisResult result) =>
        new(Picture(model, result.Input), result.Snapshots.Select(s => Picture(model, s)).ToArray());

    /// <summary><paramref name="value"/> as a picture side in pixels.</summary>
    /// <exception cref="Errors.InvalidOptionException">Below 8 or above the largest input side (names <paramref name="option"/>).</exception>
    public static int Side(int value, string option) =>
        value is >= 8 and <= Engine.ResourceLimits.MaxInputSide
            ? value
            : throw new Errors.InvalidOptionException(option, $"must be between 8 and {Engine.ResourceLimits.MaxInputSide} pixels, got {value}");

    /// <summary>Runs <paramref name="work"/> with a progress bar of <paramref name="total"/> steps showing the current measure.</summary>
    public static T WithProgress<T>(CliContext context, string description, int total, Func<IProgress<SynthesisProgress>, CancellationToken, T> work)
    {
        CancellationToken cancellation = context.Interruption.Observe();
        if (context.ProgressConsole() is not { } console) return work(new StepReport(_ => { }), cancellation);
        T result = default!;
        console.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                ProgressTask task = progress.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total));
                result = work(new StepReport(step =>
                {
                    task.Value = step.Iteration;
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{description}  {step.Measure} {step.Value:G4}"));
                }), cancellation);
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>
    /// Claims the output folder, writes the pictures and <c>result.json</c> (with the prediction of <c>result.png</c>
    /// read back), then prints the document (<c>--json</c>) or <paramref name="summary"/> and the folder.
    /// </summary>
    public void Write(ParseResult parse, CliContext context, LoadedModel model, SynthesisPictures pictures, string measure,
        IReadOnlyList<double> trace, IEnumerable<KeyValuePair<string, object?>> fields, string summary)
    {
        PreparedOutput prepared = OutputDirectory.Claim(parse.GetValue(output), parse.GetValue(overwrite));
        IReadOnlyDictionary<string, object?> document;
        try
        {
            var preprocessor = new ImagePreprocessor(model.Input);
            var head = new Dictionary<string, object?> { ["gaze"] = GazeVersion.Current, ["model"] = model.Path };
            document = SynthesisWriter.Write(prepared.Path, pictures, measure, trace, head.Concat(fields), image =>
            {
                using var scope = NewDisposeScope();
                return ClassRanking.TopK(model.Graph, preprocessor.Preprocess(image), Math.Min(5, model.ClassCount), model.Labels)[0]
                    .Select(c => new { index = c.Index, label = c.Label, probability = Math.Round(c.Probability, 6) }).ToArray();
            });
        }
        catch
        {
            prepared.RemoveIfCreated();
            throw;
        }
        if (context.Json)
        {
            context.Output.WriteLine(JsonSerializer.Serialize(document, SynthesisWriter.JsonOptions));
            return;
        }
        if (!context.Quiet) context.Output.WriteLine(summary);
        context.Output.WriteLine($"wrote {Path.Combine(prepared.Path, SynthesisWriter.ResultFile)}");
    }

    /// <summary>Reports each step synchronously, on the optimising thread (<see cref="Progress{T}"/> would post them).</summary>
    private sealed class StepReport(Action<SynthesisProgress> report) : IProgress<SynthesisProgress>
    {
        public void Report(SynthesisProgress value) => report(value);
    }
}
