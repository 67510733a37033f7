using System.CommandLine;
using System.Text.Json;
using Gaze.Attribution;
using Gaze.Datasets;
using Gaze.Errors;
using Gaze.Evaluation;
using Gaze.Models;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze evaluate [DATA_DIR] [--model MODEL] [--count N --seed S] [--method M] [--layer L]</c>: top-1 accuracy and
/// the pointing game of a CAM method, on a shapes folder (annotations.json) or on freshly generated shapes.
/// </summary>
public static class EvaluateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var data = new Argument<string?>("DATA_DIR") { Description = "A data set folder with annotations.json (default: generate --count shapes with --seed)", Arity = ArgumentArity.ZeroOrOne };
        var model = DefaultModel.Option();
        var count = new Option<int>("--count") { Description = "Generated images when no DATA_DIR is given", DefaultValueFactory = _ => 1000, CustomParser = r => OptionParsers.PositiveInt(r, "--count") ?? 0 };
        var seed = new Option<int>("--seed") { Description = "Generator seed when no DATA_DIR is given (the shipped model trained on seeds 1 and 2)", DefaultValueFactory = _ => 1000 };
        var methodOptions = new MethodOptions(app.Methods, defaultMethod: "cam", several: false, purpose: "The method whose heatmap maximum must fall in the box");
        var command = new Command("evaluate", "Accuracy and pointing game (heatmap maximum inside the object's box) on labelled shapes")
        {
            data, model, count, seed,
        };
        // Evaluate has a --seed of its own (the data set's); the methods' valued options stay with explain and bench.
        methodOptions.AddTo(command, withSmoothing: false, withValues: false);
        command.SetAction(parse => app.Execute(parse, context =>
        {
            string? folder = parse.GetValue(data);
            if (folder is not null && !File.Exists(Path.Combine(folder, AnnotationsFile.FileName)))
                throw new InputFileNotFoundException(Path.Combine(folder, AnnotationsFile.FileName));
            string modelPath = DefaultModel.Resolve(parse.GetValue(model));
            AttributionMethod method = methodOptions.ParseSingle(parse);
            using LoadedModel loaded = LoadedModel.Open(modelPath, limits: context.Limits);
            IReadOnlyList<string> layers = method.UsesLayers ? loaded.ResolveLayers(parse.GetValue(methodOptions.Layer)) : [];

            IReadOnlyList<string> labels = loaded.Labels
                ?? throw new DataFormatException(loaded.Path, "the model has no labels to match the images' classes against");
            ImageSet set = folder is not null
                ? ImageSet.FromShapesFolder(folder, labels)
                : ImageSet.Generated(new ShapesGenerator(parse.GetValue(seed)), parse.GetValue(count), labels);
            int total = set.Count;
            IEnumerable<LabelledImage> images = set.Images();
            // A partial score means nothing: Ctrl+C stops before the next image and the command ends with exit 130.
            CancellationToken cancellation = context.Interruption.Observe();
            images = images.Select(image =>
            {
                cancellation.ThrowIfCancellationRequested();
                return image;
            });
            LocalisationReport? report = null;
            context.WithProgress("evaluating", total, step =>
                report = new LocalisationEvaluation(loaded, method, layers).Evaluate(images, imageDone: step));
            if (context.Json)
            {
                context.Output.WriteLine(JsonSerializer.Serialize(new
                {
                    model = modelPath,
                    data = folder is null ? $"generated: {total} shapes, seed {parse.GetValue(seed)}" : folder,
                    images = report!.Images,
                    accuracy = report.Accuracy,
                    method = report.Method,
                    layer = report.Layer,
                    pointing_accuracy = report.PointingAccuracy,
                }));
            }
            else
            {
                context.Output.WriteLine($"{report!.Images} images: accuracy {report.Accuracy:P1} ({report.Correct}); " +
                    $"{report.Method} maximum inside the object's box: {report.PointingAccuracy:P1} ({report.PointingHits})");
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
