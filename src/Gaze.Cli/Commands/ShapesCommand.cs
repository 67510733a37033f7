using System.CommandLine;
using System.Text.Json;
using Gaze.Datasets;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze shapes --count N --seed S --out DIR [--size PX]</c>: the procedural shapes data set as an ImageFolder tree
/// with annotations.json (classes, boxes, masks). Interrupted, it removes what it wrote and exits 130 (143 for SIGTERM).
/// </summary>
public static class ShapesCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var count = new Option<int>("--count") { Description = "Number of images", DefaultValueFactory = _ => 1000, CustomParser = r => OptionParsers.PositiveInt(r, "--count") ?? 0 };
        var seed = new Option<int>("--seed") { Description = "Generator seed: the same seed, count and size give the same files", DefaultValueFactory = _ => 1 };
        var size = new Option<int>("--size") { Description = "Image side in pixels", DefaultValueFactory = _ => ShapesGenerator.DefaultSize, CustomParser = r => OptionParsers.PositiveInt(r, "--size") ?? 0 };
        var output = new Option<string>("--out", "-o") { Description = "Output directory (new or empty)", Required = true, HelpName = "DIR" };
        var command = new Command("shapes", "Generate the labelled shapes data set: DIR/<class>/<n>.png, DIR/masks/<n>.png and DIR/annotations.json")
        {
            count, seed, size, output,
        };
        command.SetAction(parse => app.Execute(parse, context =>
        {
            ShapesGenerator.ValidateSize(parse.GetValue(size));
            int total = parse.GetValue(count);
            string directory = parse.GetValue(output)!;
            // Ctrl+C or SIGTERM stops the generation and removes what this run wrote: without annotations.json the
            // images are no data set. A second signal removes it from the signal's thread and exits at once.
            CancellationToken cancellation = context.Interruption.Observe();
            bool created = !Directory.Exists(directory);
            var progress = new StepProgress();
            AnnotationSet? set = null;
            context.Interruption.Abort = () => ShapesDataset.Remove(directory, created);
            try
            {
                context.WithProgress("generating", total, step =>
                {
                    progress.Step = step;
                    set = ShapesDataset.Write(directory, total, parse.GetValue(seed), parse.GetValue(size), progress, cancellation);
                });
            }
            catch (OperationCanceledException)
            {
                context.Error.WriteLine(created
                    ? $"gaze: interrupted after {progress.Written} of {total} images; removed the incomplete data set {directory}"
                    : $"gaze: interrupted after {progress.Written} of {total} images; removed the incomplete data set from {directory}, which is empty again");
                return context.Interruption.ExitCode;
            }
            finally
            {
                context.Interruption.Abort = null;
            }
            if (context.Json)
                context.Output.WriteLine(JsonSerializer.Serialize(new { output = Path.GetFullPath(directory), images = set!.Images.Count, classes = set.Classes }));
            else if (!context.Quiet)
                context.Output.WriteLine($"{set!.Images.Count} images of {set.Classes.Count} classes in {directory}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// Turns the data set's "images written so far" reports (from worker threads) into progress steps, and keeps the
    /// count for the line of an interrupted run.
    /// </summary>
    private sealed class StepProgress : IProgress<int>
    {
        private readonly object gate = new();
        private int written;

        public Action Step { get; set; } = () => { };

        public int Written => Volatile.Read(ref written);

        public void Report(int value)
        {
            lock (gate)
            {
                written = Math.Max(written, value);
                Step();
            }
        }
    }
}
