using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Spectre.Console;
using static TorchSharp.torch;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze predict IMAGE... --model MODEL</c>: the top-K classes with probabilities and logits per image. Interrupted, it
/// prints the images finished so far (with <c>--json</c> marked <c>"complete": false</c>) and exits 130 (143 for SIGTERM).
/// </summary>
public static class PredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var images = new Argument<string[]>("IMAGE") { Description = "Images or folders of images", Arity = ArgumentArity.OneOrMore };
        var model = ModelArgument.Option();
        var top = new Option<int>("--top") { Description = "How many classes to show", DefaultValueFactory = _ => 5, CustomParser = r => OptionParsers.PositiveInt(r, "--top") ?? 0 };
        var inputOptions = new InputOptions();
        var command = new Command("predict", "Classify images: top-K labels, probabilities (softmax of the logits) and logits") { images, model, top };
        inputOptions.AddTo(command);
        command.SetAction(parse => app.Execute(parse, context =>
        {
            // Ctrl+C or SIGTERM stops after the current image: the finished ones are printed, marked incomplete.
            CancellationToken cancellation = context.Interruption.Observe();
            using LoadedModel loaded = LoadedModel.Open(parse.GetValue(model)!, inputOptions.Overrides(parse), limits: context.Limits);
            // Refuses a model without class scores before any image is read.
            int shown = Math.Min(parse.GetValue(top), loaded.ClassCount);
            var preprocessor = new ImagePreprocessor(loaded.Input);
            var results = new List<(string Path, IReadOnlyList<ClassScore>? Top, string? Error)>();
            int failures = 0;
            IReadOnlyList<string> paths = ImageFiles.Expand(parse.GetValue(images)!);
            foreach (string path in paths)
            {
                if (cancellation.IsCancellationRequested) break;
                try
                {
                    using var scope = NewDisposeScope();
                    using Tensor input = preprocessor.Preprocess(ImageDecoder.Load(path, context.Limits));
                    IReadOnlyList<ClassScore> best = ClassRanking.TopK(loaded.Graph, input, shown, loaded.Labels)[0];
                    if (best.Any(c => !float.IsFinite(c.Logit) || !float.IsFinite(c.Probability)))
                    {
                        string problem = "model output is not finite";
                        context.Error.WriteLine($"gaze: {problem} for {path}");
                        results.Add((path, null, problem));
                        failures++;
                        continue;
                    }
                    results.Add((path, best, null));
                }
                catch (Gaze.Errors.GazeFileException e)
                {
                    // One bad image is reported; the others are still classified (exit 4).
                    context.Error.WriteLine($"gaze: {e.Message}");
                    results.Add((path, null, e.Problem));
                    failures++;
                }
            }
            int left = paths.Count - results.Count;
            Print(context, results, left);
            if (left > 0)
            {
                context.Error.WriteLine($"gaze: interrupted after {results.Count} of {paths.Count} images");
                return context.Interruption.ExitCode;
            }
            if (failures == 0) return ExitCodes.Success;
            return failures == results.Count ? ExitCodes.UsageError : ExitCodes.PartialSuccess;
        }));
        return command;
    }

    /// <summary>Non-finite numbers, should any get through, are written as "NaN" or "Infinity" instead of failing.</summary>
    private static readonly JsonSerializerOptions JsonOutput = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>
    /// The results as a table per image, or with <c>--json</c> one object marked like results.json:
    /// <c>complete</c> (false when interrupted), <c>images_left</c> (the images not classified) and <c>images</c>.
    /// </summary>
    private static void Print(CliContext context, List<(string Path, IReadOnlyList<ClassScore>? Top, string? Error)> results, int left)
    {
        if (context.Json)
        {
            context.Output.WriteLine(JsonSerializer.Serialize(new
            {
                complete = left == 0,
                images_left = left,
                images = results.Select(r => new
                {
                    path = r.Path,
                    error = r.Error,
                    predictions = r.Top?.Select(c => new { index = c.Index, label = c.Label, probability = c.Probability, logit = c.Logit }),
                }),
            }, JsonOutput));
            return;
        }
        foreach (var (path, topK, _) in results)
        {
            if (topK is null) continue;
            var grid = new Table { Title = new TableTitle(Markup.Escape(path)) }.AddColumns("rank", "class", "label", "probability", "logit");
            for (int i = 0; i < topK.Count; i++)
            {
                ClassScore c = topK[i];
                grid.AddRow((i + 1).ToString(), c.Index.ToString(), Markup.Escape(c.Label ?? ""), c.Probability.ToString("P2"), c.Logit.ToString("F3"));
            }
            context.Console.Write(grid);
        }
    }
}
