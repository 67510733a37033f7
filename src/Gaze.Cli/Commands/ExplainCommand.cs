using System.CommandLine;
using System.Text.Json;
using Gaze.Explaining;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Rendering;
using Gaze.Reporting;
using Spectre.Console;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze explain IMAGE|DIR... [--model MODEL] [--method m1,m2] [--layer L[,L2]] [--target T] [--out DIR]</c>:
/// heatmaps for every image, target and method, with results.json and report.html (without <c>--model</c>, the
/// built-in shapes CNN).
/// </summary>
public static class ExplainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var images = new Argument<string[]>("IMAGE") { Description = "Images or folders of images", Arity = ArgumentArity.OneOrMore };
        var model = DefaultModel.Option();
        var methodOptions = new MethodOptions(app.Methods, defaultMethod: "gradcam");
        var target = new Option<string>("--target") { Description = "top1, topK (each of the K best classes), a class index or a label", DefaultValueFactory = _ => "top1" };
        var output = new Option<string?>("--out", "-o") { Description = "Output directory (default: a new folder under gaze-out/)", HelpName = "DIR" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Write into --out even if it is not empty" };
        var batch = ModelArgument.Batch();
        var colormap = new Option<string>("--colormap") { Description = "jet, turbo, viridis, inferno, magma or gray", DefaultValueFactory = _ => "jet" };
        var opacity = new Option<double>("--opacity")
        {
            Description = "Weight of the heatmap colour, 0 to 1",
            DefaultValueFactory = _ => HeatmapRenderer.DefaultOpacity,
            CustomParser = result => OptionParsers.Fraction(result, "--opacity"),
        };
        var inputOptions = new InputOptions();
        var precision = ModelArgument.Precision();
        var command = new Command("explain", "Explain images: overlays, heatmaps (.npy), results.json and report.html")
        {
            images, model, target, output, overwrite, batch, colormap, opacity, precision,
        };
        methodOptions.AddTo(command, withSmoothing: true);
        inputOptions.AddTo(command);
        command.SetAction(parse => app.Execute(parse, context =>
        {
            var request = new ExplanationRequest
            {
                Methods = methodOptions.Parse(parse),
                Target = parse.GetValue(target)!,
                Layers = parse.GetValue(methodOptions.Layer),
                AugSmooth = parse.GetValue(methodOptions.AugSmooth),
                EigenSmooth = parse.GetValue(methodOptions.EigenSmooth),
                Settings = methodOptions.Settings(parse),
                Colormap = parse.GetValue(colormap)!,
                Opacity = parse.GetValue(opacity),
                BatchSize = parse.GetValue(batch),
                Limits = context.Limits,
                OutputDirectory = parse.GetValue(output),
                Overwrite = parse.GetValue(overwrite),
            };
            IReadOnlyList<string> paths = ImageFiles.Expand(parse.GetValue(images)!);
            using LoadedModel loaded = LoadedModel.Open(DefaultModel.Resolve(parse.GetValue(model)), inputOptions.Overrides(parse),
                ModelArgument.ParsePrecision(parse.GetValue(precision)), context.Limits);
            request = request with { BatchSize = ModelArgument.FitBatch(context, loaded, request.BatchSize) };
            ExplanationRunResult result = ExplanationProgress.Run(context, loaded, request, paths);
            if (result.Written) Print(context, result);
            return ExplanationProgress.Outcome(context, result);
        }));
        return command;
    }

    private static void Print(CliContext context, ExplanationRunResult result)
    {
        int explanations = result.Results.Images.Sum(i => i.Explanations.Count);
        if (context.Json)
        {
            context.Output.WriteLine(JsonSerializer.Serialize(new
            {
                output = result.OutputDirectory,
                results = result.ResultsPath,
                report = result.ReportPath,
                images = result.Images,
                failed = result.Failures,
                explanations,
                complete = result.Complete,
                images_left = result.ImagesLeft,
            }));
            return;
        }
        if (context.Quiet || !result.Complete) return;
        var grid = new Table().AddColumns("image", "class", "method", "ms");
        foreach (ImageResult image in result.Results.Images)
        {
            foreach (ExplanationResult e in image.Explanations)
                grid.AddRow(Markup.Escape(image.Path), Markup.Escape($"{e.Target} {e.Label}"), e.Method, e.Milliseconds.ToString("F0"));
        }
        if (explanations > 0 && explanations <= 60) context.Console.Write(grid);
        context.Output.WriteLine($"{result.Images - result.Failures} of {result.Images} image(s) explained ({explanations} maps); report: {result.ReportPath}");
    }
}
