using System.CommandLine;
using System.Globalization;
using Gaze.Models;
using Gaze.Reporting;
using Gaze.Synthesis;

namespace Gaze.Cli.Commands;

/// <summary><c>gaze visualize --target CLASS</c>: the image the model finds most CLASS, grown from seeded noise.</summary>
public static class VisualizeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var model = DefaultModel.Option();
        var target = new Option<string>("--target", "-t") { Description = "The class to visualise: an index or a label", HelpName = "CLASS", Required = true };
        var iterations = new Option<int>("--iterations") { Description = "Steps (per octave)", DefaultValueFactory = _ => 200 };
        var rate = new Option<double>("--learning-rate") { Description = "L2 size of a step, in torchvision's normalised units (scaled to the model's)", DefaultValueFactory = _ => 25.0 };
        var l2 = new Option<double>("--l2-weight") { Description = "Weight of the L2 penalty on the image", DefaultValueFactory = _ => 1e-3 };
        var jitter = new Option<int>("--jitter") { Description = "Largest random shift per step, in pixels", DefaultValueFactory = _ => 16 };
        var blurEvery = new Option<int>("--blur-every") { Description = "Blur every N steps", DefaultValueFactory = _ => 10 };
        var blurSigma = new Option<double>("--blur-sigma") { Description = "Sigma of that blur, in pixels (0: none)", DefaultValueFactory = _ => 0.5 };
        var octaves = new Option<int>("--octaves") { Description = "Grow the image this many times - 1 by --octave-scale", DefaultValueFactory = _ => 1 };
        var octaveScale = new Option<double>("--octave-scale") { Description = "Size ratio between octaves", DefaultValueFactory = _ => 1.4 };
        var seed = new Option<int>("--seed") { Description = "Seed of the starting noise and the jitter", DefaultValueFactory = _ => 0 };
        var inputOptions = new InputOptions();
        var output = new SynthesisOutput();
        var command = new Command("visualize", "Class visualisation: grow the image the model finds most CLASS from noise")
        {
            model, target, iterations, rate, l2, jitter, blurEvery, blurSigma, octaves, octaveScale, seed,
        };
        inputOptions.AddTo(command);
        output.AddTo(command);
        command.SetAction(parse => app.Execute(parse, context =>
        {
            using LoadedModel loaded = LoadedModel.Open(DefaultModel.Resolve(parse.GetValue(model)), inputOptions.Overrides(parse), limits: context.Limits);
            int goal = SynthesisOutput.TargetClass(loaded, parse.GetValue(target)!);
            var options = new ClassVisualizationOptions
            {
                Target = goal,
                Iterations = parse.GetValue(iterations),
                LearningRate = parse.GetValue(rate),
                L2Weight = parse.GetValue(l2),
                MaxJitter = parse.GetValue(jitter),
                BlurEvery = parse.GetValue(blurEvery),
                BlurSigma = parse.GetValue(blurSigma),
                Octaves = parse.GetValue(octaves),
                OctaveScale = parse.GetValue(octaveScale),
                Seed = parse.GetValue(seed),
            }.Validate();
            var network = new SynthesisNetwork(loaded.Graph, loaded.Input);
            using SynthesisResult result = SynthesisOutput.WithProgress(context, "visualizing", options.Iterations * options.Octaves,
                (progress, cancellation) => ClassVisualization.Run(network, options, progress, cancellation));
            SynthesisPictures pictures = SynthesisOutput.Pictures(loaded, result);
            var fields = new Dictionary<string, object?>
            {
                ["command"] = "visualize",
                ["target"] = goal,
                ["target_label"] = loaded.LabelOf(goal),
                ["seed"] = options.Seed,
                ["settings"] = options,
                ["iterations"] = result.Trace.Count,
                ["kept_probability"] = Math.Round(result.Trace.Skip(result.Trace.Count - options.Iterations).Max(), 6),
            };
            string summary = string.Create(CultureInfo.InvariantCulture,
                $"{loaded.LabelOf(goal)}: best p {result.Trace.Skip(result.Trace.Count - options.Iterations).Max():F3} over {result.Trace.Count} steps ({pictures.Result.Width}x{pictures.Result.Height})");
            output.Write(parse, context, loaded, pictures,
                result.Measure, result.Trace, fields, summary);
            return ExitCodes.Success;
        }));
        return command;
    }
}
