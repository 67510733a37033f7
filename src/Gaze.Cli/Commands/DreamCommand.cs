using System.CommandLine;
using System.Globalization;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Reporting;
using Gaze.Synthesis;
using static TorchSharp.torch;

namespace Gaze.Cli.Commands;

/// <summary><c>gaze dream IMAGE --layer L</c>: DeepDream on one layer, with octaves and jitter.</summary>
public static class DreamCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var image = new Argument<string>("IMAGE") { Description = "The picture to dream on" };
        var model = ModelArgument.Option();
        var layer = new Option<string>("--layer", "-l") { Description = "The layer whose activations to amplify", Required = true };
        var iterations = new Option<int>("--iterations") { DefaultValueFactory = _ => 10, Description = "Steps per octave" };
        var octaves = new Option<int>("--octaves") { DefaultValueFactory = _ => 4, Description = "Image pyramid levels" };
        var octaveScale = new Option<double>("--octave-scale") { DefaultValueFactory = _ => 1.4, Description = "Size ratio between octaves" };
        var rate = new Option<double>("--learning-rate") { DefaultValueFactory = _ => 0.02, Description = "Step over the gradient's mean magnitude (torchvision units)" };
        var jitter = new Option<int>("--jitter") { DefaultValueFactory = _ => 32, Description = "Largest random shift per step, in pixels" };
        var size = new Option<int?>("--size") { Description = "Shorter side of the picture, in pixels (default: the model's input size)" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seed of the jitter" };
        var output = new SynthesisOutput();
        var command = new Command("dream", "DeepDream: amplify what a layer responds to in a picture")
        {
            image, model, layer, iterations, octaves, octaveScale, rate, jitter, size, seed,
        };
        output.AddTo(command);
        command.SetAction(parse => app.Execute(parse, context =>
        {
            using LoadedModel loaded = LoadedModel.Open(parse.GetValue(model)!, limits: context.Limits);
            var options = new DeepDreamOptions
            {
                Layer = loaded.ResolveLayers(parse.GetValue(layer))[0],
                Iterations = parse.GetValue(iterations),
                Octaves = parse.GetValue(octaves),
                OctaveScale = parse.GetValue(octaveScale),
                LearningRate = parse.GetValue(rate),
                MaxJitter = parse.GetValue(jitter),
                Seed = parse.GetValue(seed),
            }.Validate();
            int? side = parse.GetValue(size) is int given ? SynthesisOutput.Side(given, "--size") : null;
            RgbImage picture = ImageDecoder.Load(parse.GetValue(image)!, context.Limits);
            using var scope = NewDisposeScope();
            var network = new SynthesisNetwork(loaded.Graph, loaded.Input);
            Tensor input = SynthesisOutput.Input(loaded, picture, side);
            using SynthesisResult result = SynthesisOutput.WithProgress(context, "dreaming", options.Iterations * options.Octaves,
                (progress, cancellation) => DeepDream.Run(network, input, options, progress, cancellation));
            var fields = new Dictionary<string, object?>
            {
                ["command"] = "dream",
                ["image"] = parse.GetValue(image),
                ["layer"] = options.Layer,
                ["seed"] = options.Seed,
                ["settings"] = options,
                ["iterations"] = result.Trace.Count,
            };
            string summary = string.Create(CultureInfo.InvariantCulture,
                $"{options.Layer}: mean activation² {result.Trace[0]:G4} -> {result.Trace[^1]:G4} over {result.Trace.Count} steps");
            output.Write(parse, context, loaded, SynthesisOutput.Pictures(loaded, result),
                result.Measure, result.Trace, fields, summary);
            return ExitCodes.Success;
        }));
        return command;
    }
}
