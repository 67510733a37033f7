using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Gaze.Training;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze train-shapes --out MODEL.onnx</c>: trains the small CAM network on generated shapes and writes it with its
/// sidecar. The defaults reproduce the shipped model in assets/. Interrupted, it writes no model and exits 130 (143 for
/// SIGTERM).
/// </summary>
public static class TrainShapesCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var defaults = new ShapesTrainingOptions();
        var output = new Option<string>("--out", "-o") { Description = "The model file to write (.onnx); its .gaze.json sidecar goes beside it", Required = true, HelpName = "MODEL.onnx" };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => defaults.Epochs, CustomParser = r => OptionParsers.PositiveInt(r, "--epochs") ?? 0 };
        var images = new Option<int>("--images") { Description = "Training images (generated once, seed --seed)", DefaultValueFactory = _ => defaults.TrainingImages, CustomParser = r => OptionParsers.PositiveInt(r, "--images") ?? 0 };
        var size = new Option<int>("--size") { Description = "Input side in pixels (divisible by 4)", DefaultValueFactory = _ => defaults.Size, CustomParser = r => OptionParsers.PositiveInt(r, "--size") ?? 0 };
        var rate = new Option<double>("--learning-rate") { Description = "Adam's initial learning rate (cosine decay)", DefaultValueFactory = _ => defaults.LearningRate };
        var seed = new Option<int>("--seed") { Description = "Seed of weights, augmentation and training images (validation uses seed + 1)", DefaultValueFactory = _ => defaults.Seed };
        var command = new Command("train-shapes", "Train the small GAP CNN on generated shapes and write it as ONNX with its sidecar")
        {
            output, epochs, images, size, rate, seed,
        };
        command.SetAction(parse => app.Execute(parse, context =>
        {
            string path = parse.GetValue(output)!;
            var options = (defaults with
            {
                Epochs = parse.GetValue(epochs),
                TrainingImages = parse.GetValue(images),
                Size = parse.GetValue(size),
                Seed = parse.GetValue(seed),
                LearningRate = parse.GetValue(rate),
            }).Validate();
            var reports = new List<EpochResult>();
            double seconds = 0;
            // Ctrl+C or SIGTERM stops before the next training step; a half-trained network is not written.
            CancellationToken cancellation = context.Interruption.Observe();
            try
            {
                context.WithProgress("training", options.StepCount, step =>
                {
                    // Times are reported from the start of the training run, data generation included.
                    var clock = Stopwatch.StartNew();
                    new ShapesTrainer(options).TrainTo(path, report =>
                    {
                        reports.Add(report);
                        seconds = clock.Elapsed.TotalSeconds;
                        if (!context.Quiet && !context.Json)
                            context.Error.WriteLine($"epoch {report.Epoch}/{report.Epochs}: loss {report.TrainLoss:F4}, train accuracy {report.TrainAccuracy:P1}, validation accuracy {report.ValidationAccuracy:P1} ({seconds:F0} s)");
                    }, step, cancellation);
                });
            }
            catch (OperationCanceledException)
            {
                context.Error.WriteLine($"gaze: interrupted after {reports.Count} of {options.Epochs} epochs; no model written");
                return context.Interruption.ExitCode;
            }
            EpochResult last = reports[^1];
            if (context.Json)
                context.Output.WriteLine(JsonSerializer.Serialize(new { model = Path.GetFullPath(path), epochs = reports.Count, validation_accuracy = last.ValidationAccuracy, seconds }));
            else if (!context.Quiet)
                context.Output.WriteLine($"wrote {path}: validation accuracy {last.ValidationAccuracy:P1} after {last.Epoch} epochs, {seconds:F0} s");
            return ExitCodes.Success;
        }));
        return command;
    }
}
