using System.CommandLine;
using System.Text.Json;
using Gaze.Datasets;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze shapes --count N --seed S --out DIR [--size PX]</c>: the procedural shapes data set as an ImageFolder tree
/// with annotations.json (classes, boxes, masks).
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
            AnnotationSet? set = null;
            context.WithProgress("generating", total, step =>
            {
                set = ShapesDataset.Write(parse.GetValue(output)!, total, parse.GetValue(seed), parse.GetValue(size), new StepProgress(step));
            });
            if (context.Json)
                context.Output.WriteLine(JsonSerializer.Serialize(new { output = Path.GetFullPath(parse.GetValue(output)!), images = set!.Images.Count, classes = set.Classes }));
            else if (!context.Quiet)
                context.Output.WriteLine($"{set!.Images.Count} images of {set.Classes.Count} classes in {parse.GetValue(output)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Turns the data set's "images written so far" reports (from worker threads) into progress steps.</summary>
    private sealed class StepProgress(Action step) : IProgress<int>
    {
        private readonly object gate = new();

        public void Report(int value)
        {
            lock (gate) step();
        }
    }
}
