using System.CommandLine;
using System.Globalization;
using Gaze.Errors;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Reporting;
using Gaze.Synthesis;
using static TorchSharp.torch;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze style CONTENT STYLE</c> (Gatys style transfer) and <c>gaze invert IMAGE --layer L</c> (feature inversion):
/// the CS231n losses over any model's layers, with SqueezeNet's CS231n layers as defaults on SqueezeNet.
/// </summary>
public static class StyleCommand
{
    /// <summary>Builds <c>gaze style</c>.</summary>
    public static Command Create(GazeApp app)
    {
        var content = new Argument<string>("CONTENT") { Description = "The picture to repaint" };
        var style = new Argument<string>("STYLE") { Description = "The picture whose style to take" };
        var model = ModelArgument.Option();
        var contentLayer = new Option<string?>("--content-layer") { Description = "Layer whose features keep the content (default on SqueezeNet: fire2/concat_1)" };
        var styleLayers = new Option<string?>("--style-layers") { Description = "Comma-separated layers whose Gram matrices carry the style (default on SqueezeNet: conv1_2,fire3/concat_1,fire4/concat_1,fire5/concat_1)" };
        var styleWeights = new Option<string?>("--style-weights") { Description = "One weight per style layer (default on SqueezeNet: CS231n's 20000,500,12,1 times 300)" };
        var contentWeight = new Option<double>("--content-weight") { DefaultValueFactory = _ => 5e-2, Description = "Content loss weight" };
        var tvWeight = new Option<double>("--tv-weight") { DefaultValueFactory = _ => 5e-2, Description = "Total-variation weight (torchvision units)" };
        var iterations = new Option<int>("--iterations") { DefaultValueFactory = _ => 200, Description = "Adam steps" };
        var rate = new Option<double>("--learning-rate") { DefaultValueFactory = _ => 1.0, Description = "Adam's rate (torchvision units); 0.1 for the last 10%" };
        var size = new Option<int>("--size") { DefaultValueFactory = _ => 192, Description = "Shorter side of the content image, in pixels" };
        var styleSize = new Option<int>("--style-size") { DefaultValueFactory = _ => 512, Description = "Shorter side of the style image, in pixels" };
        var optimizer = new Option<string>("--optimizer") { DefaultValueFactory = _ => "adam", Description = "adam (CS231n) or lbfgs (Gatys et al.)" };
        var init = new Option<string>("--init") { DefaultValueFactory = _ => "content", Description = "Start from the content image or from seeded noise" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seed of the noise start" };
        var output = new SynthesisOutput();
        var command = new Command("style", "Style transfer (Gatys et al.): repaint CONTENT in the style of STYLE")
        {
            content, style, model, contentLayer, styleLayers, styleWeights, contentWeight, tvWeight, iterations, rate, size, styleSize, optimizer, init, seed,
        };
        output.AddTo(command);
        command.SetAction(parse => app.Execute(parse, context =>
        {
            using LoadedModel loaded = LoadedModel.Open(parse.GetValue(model)!, limits: context.Limits);
            StyleTransferOptions? squeezeNet = StyleTransferOptions.ForSqueezeNet(loaded.Graph.TensorNames);
            IReadOnlyList<string> layers = List(parse.GetValue(styleLayers), "--style-layers") ?? squeezeNet?.StyleLayers ?? throw Needed("--style-layers");
            IReadOnlyList<double> weights = List(parse.GetValue(styleWeights), "--style-weights")?.Select(w => Number(w, "--style-weights")).ToArray()
                ?? (parse.GetValue(styleLayers) is null && squeezeNet is not null ? squeezeNet.StyleWeights : Enumerable.Repeat(1.0, layers.Count).ToArray());
            var options = new StyleTransferOptions
            {
                ContentLayer = parse.GetValue(contentLayer) ?? squeezeNet?.ContentLayer ?? throw Needed("--content-layer"),
                ContentWeight = parse.GetValue(contentWeight),
                StyleLayers = layers,
                StyleWeights = weights,
                TvWeight = parse.GetValue(tvWeight),
                Iterations = parse.GetValue(iterations),
                LearningRate = parse.GetValue(rate),
                Optimizer = parse.GetValue(optimizer)!.Trim().ToLowerInvariant() switch
                {
                    "adam" => StyleOptimizer.Adam,
                    "lbfgs" or "l-bfgs" => StyleOptimizer.Lbfgs,
                    var other => throw new InvalidOptionException("--optimizer", $"unknown optimizer '{other}'; choose adam or lbfgs"),
                },
                StartFromNoise = parse.GetValue(init)!.Trim().ToLowerInvariant() switch
                {
                    "content" => false,
                    "noise" => true,
                    var other => throw new InvalidOptionException("--init", $"unknown start '{other}'; choose content or noise"),
                },
                Seed = parse.GetValue(seed),
            }.Validate();
            int contentSide = SynthesisOutput.Side(parse.GetValue(size), "--size"), styleSide = SynthesisOutput.Side(parse.GetValue(styleSize), "--style-size");
            loaded.ResolveLayers(string.Join(",", options.Layers()), "--style-layers");
            RgbImage contentImage = ImageDecoder.Load(parse.GetValue(content)!, context.Limits);
            RgbImage styleImage = ImageDecoder.Load(parse.GetValue(style)!, context.Limits);
            using var scope = NewDisposeScope();
            var network = new SynthesisNetwork(loaded.Graph, loaded.Input);
            Tensor contentInput = SynthesisOutput.Input(loaded, contentImage, contentSide);
            Tensor styleInput = SynthesisOutput.Input(loaded, styleImage, styleSide);
            using var objective = new StyleObjective(network, contentInput, styleInput, options);
            using SynthesisResult result = SynthesisOutput.WithProgress(context, "styling", options.Iterations,
                (progress, cancellation) => StyleTransfer.Run(network, objective, contentInput, progress, cancellation));
            StyleLossParts final = objective.Measure(result.Input);
            // The style picture at the content's size: how much content a picture that ignores it would lose.
            StyleLossParts ofStyle = objective.Measure(nn.functional.interpolate(styleInput, [contentInput.shape[2], contentInput.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false));
            var fields = new Dictionary<string, object?>
            {
                ["command"] = "style",
                ["content"] = parse.GetValue(content),
                ["style"] = parse.GetValue(style),
                ["settings"] = options,
                ["iterations"] = result.Trace.Count,
                ["first_loss"] = result.Trace[0],
                ["final_loss"] = final,
                ["style_image_loss"] = ofStyle,
            };
            string summary = string.Create(CultureInfo.InvariantCulture,
                $"loss {result.Trace[0]:G4} -> {final.Total:G4} ({1 - final.Total / result.Trace[0]:P1} lower); content loss {final.Content:G4} (style picture's: {ofStyle.Content:G4})");
            output.Write(parse, context, loaded, SynthesisOutput.Pictures(loaded, result),
                result.Measure, result.Trace, fields, summary);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Builds <c>gaze invert</c>.</summary>
    public static Command CreateInvert(GazeApp app)
    {
        var image = new Argument<string>("IMAGE") { Description = "The picture whose features to invert" };
        var model = ModelArgument.Option();
        var layer = new Option<string>("--layer", "-l") { Description = "The layer whose features the reconstruction must match", Required = true };
        var iterations = new Option<int>("--iterations") { DefaultValueFactory = _ => 200, Description = "Adam steps" };
        // A tenth of style transfer's: the prior only has to keep the noise out, and at 5e-2 it held the features 11% away.
        var tvWeight = new Option<double>("--tv-weight") { DefaultValueFactory = _ => 5e-3, Description = "Total-variation weight (torchvision units)" };
        var contentWeight = new Option<double>("--content-weight") { DefaultValueFactory = _ => 5e-2, Description = "Feature loss weight" };
        // From noise the steps must be finer than style transfer's, which starts at the content: at 3.0 the features
        // stay 28% away on SqueezeNet's fire2, at 0.5 they come within 6%.
        var rate = new Option<double>("--learning-rate") { DefaultValueFactory = _ => 0.5, Description = "Adam's rate (torchvision units); 0.1 for the last 10%" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seed of the starting noise" };
        var output = new SynthesisOutput();
        var command = new Command("invert", "Feature inversion: rebuild an image from one layer's features, starting from noise")
        {
            image, model, layer, iterations, tvWeight, contentWeight, rate, seed,
        };
        output.AddTo(command);
        command.SetAction(parse => app.Execute(parse, context =>
        {
            using LoadedModel loaded = LoadedModel.Open(parse.GetValue(model)!, limits: context.Limits);
            string target = loaded.ResolveLayers(parse.GetValue(layer))[0];
            var options = new StyleTransferOptions
            {
                ContentLayer = target,
                ContentWeight = parse.GetValue(contentWeight),
                TvWeight = parse.GetValue(tvWeight),
                Iterations = parse.GetValue(iterations),
                LearningRate = parse.GetValue(rate),
                Seed = parse.GetValue(seed),
            }.Validate();
            RgbImage picture = ImageDecoder.Load(parse.GetValue(image)!, context.Limits);
            using var scope = NewDisposeScope();
            var network = new SynthesisNetwork(loaded.Graph, loaded.Input);
            Tensor original = SynthesisOutput.Input(loaded, picture, null);
            using SynthesisResult result = SynthesisOutput.WithProgress(context, "inverting", options.Iterations,
                (progress, cancellation) => FeatureInversion.Run(network, original, options, progress, cancellation));
            double error = FeatureInversion.RelativeFeatureError(network, result.Input, original, target);
            var fields = new Dictionary<string, object?>
            {
                ["command"] = "invert",
                ["image"] = parse.GetValue(image),
                ["layer"] = target,
                ["seed"] = options.Seed,
                ["settings"] = options,
                ["iterations"] = result.Trace.Count,
                ["relative_feature_error"] = Math.Round(error, 6),
            };
            string summary = string.Create(CultureInfo.InvariantCulture, $"{target}: features within {error:P1} of the original's after {result.Trace.Count} steps");
            output.Write(parse, context, loaded, SynthesisOutput.Pictures(loaded, result),
                result.Measure, result.Trace, fields, summary);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static InvalidOptionException Needed(string option) =>
        new(option, "needed: this model has no CS231n SqueezeNet defaults; list its layers with 'gaze layers'");

    private static string[]? List(string? text, string option)
    {
        if (text is null) return null;
        string[] items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Length > 0 ? items : throw new InvalidOptionException(option, "empty list");
    }

    private static double Number(string text, string option) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new InvalidOptionException(option, $"'{text}' is not a number");
}
