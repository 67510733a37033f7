using System.CommandLine;
using System.Text.Json;
using Gaze.Attribution;
using Gaze.Attribution.Cam;
using Gaze.Errors;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Rendering;
using Gaze.Reporting;
using Spectre.Console;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze explain IMAGE|DIR... [--model MODEL] [--method m1,m2] [--layer L[,L2]] [--target T] [--out DIR]</c>:
/// class activation maps for every image, target and method, with results.json and report.html (without
/// <c>--model</c>, the built-in shapes CNN).
/// </summary>
public static class ExplainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var images = new Argument<string[]>("IMAGE") { Description = "Images or folders of images", Arity = ArgumentArity.OneOrMore };
        var model = DefaultModel.Option();
        var methods = new Option<string>("--method") { Description = $"Comma-separated CAM methods, or 'all': {string.Join(", ", CamMethods.Names)}", DefaultValueFactory = _ => "gradcam", HelpName = "M1,M2" };
        var layers = new Option<string?>("--layer") { Description = "Comma-separated target layers, averaged (default: the model's CAM layer; see 'gaze layers')", HelpName = "L1,L2" };
        var target = new Option<string>("--target") { Description = "top1, topK (each of the K best classes), a class index or a label", DefaultValueFactory = _ => "top1" };
        var output = new Option<string?>("--out", "-o") { Description = "Output directory (default: a new folder under gaze-out/)", HelpName = "DIR" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Write into --out even if it is not empty" };
        var batch = ModelArgument.Batch();
        var augSmooth = new Option<bool>("--aug-smooth") { Description = "Average over horizontal flips and brightness 0.9/1.0/1.1 (six runs)" };
        var eigenSmooth = new Option<bool>("--eigen-smooth") { Description = "Use the first principal component instead of the sum over channels" };
        var colormap = new Option<string>("--colormap") { Description = "jet, turbo, viridis, inferno, magma or gray", DefaultValueFactory = _ => "jet" };
        var opacity = new Option<double>("--opacity")
        {
            Description = "Weight of the heatmap colour, 0 to 1",
            DefaultValueFactory = _ => HeatmapRenderer.DefaultOpacity,
            CustomParser = result => OptionParsers.Fraction(result, "--opacity"),
        };
        var inputOptions = new InputOptions();
        var command = new Command("explain", "Class activation maps: overlays, heatmaps (.npy), results.json and report.html")
        {
            images, model, methods, layers, target, output, overwrite, batch, augSmooth, eigenSmooth, colormap, opacity,
        };
        inputOptions.AddTo(command);
        command.SetAction(parse => app.Execute(parse, context =>
        {
            string modelPath = DefaultModel.Resolve(parse.GetValue(model));
            ModelMetadata metadata = ModelMetadataReader.ReadFor(modelPath);
            ModelInput input = inputOptions.Resolve(parse, metadata);
            IReadOnlyList<CamMethod> chosen = ParseMethods(parse.GetValue(methods)!);
            Colormap.FromName(parse.GetValue(colormap)!);
            IReadOnlyList<string> paths = ImageFiles.Expand(parse.GetValue(images)!);

            using OnnxGraph graph = OnnxGraph.Load(modelPath);
            var size = (input.Size.Height, input.Size.Width);
            var table = LayerTable.Discover(graph, metadata.CamLayer, size);
            IReadOnlyList<string> layerNames = ResolveLayers(parse.GetValue(layers), table);
            TargetSelection targets = TargetSelection.Parse(parse.GetValue(target)!, metadata.Labels, table.ClassCount);

            var settings = new ExplanationSettings
            {
                Methods = chosen.Select(m => m.Name).ToList(),
                Target = targets.Text,
                Layers = layerNames,
                Colormap = parse.GetValue(colormap)!.ToLowerInvariant(),
                Opacity = parse.GetValue(opacity),
                AugSmooth = parse.GetValue(augSmooth),
                EigenSmooth = parse.GetValue(eigenSmooth),
                Threads = TorchSharp.torch.get_num_threads(),
            };
            var options = new CamOptions { AugSmooth = settings.AugSmooth, EigenSmooth = settings.EigenSmooth };
            var (writer, results, failures) = WriteReport(context, graph, modelPath, metadata, input, targets, settings, options,
                paths, parse.GetValue(output), parse.GetValue(overwrite), parse.GetValue(batch));
            Print(context, writer, results, paths.Count, failures);
            if (failures == 0) return ExitCodes.Success;
            return failures == paths.Count ? ExitCodes.UsageError : ExitCodes.PartialSuccess;
        }));
        return command;
    }

    /// <summary>
    /// Explains <paramref name="paths"/> with the methods and layers of <paramref name="settings"/> into a new output
    /// directory (results.json and report.html) under a progress bar; each image that fails is reported on one line.
    /// </summary>
    internal static (ExplanationWriter Writer, ResultsDocument Results, int Failures) WriteReport(CliContext context,
        OnnxGraph graph, string modelPath, ModelMetadata metadata, ModelInput input, TargetSelection targets,
        ExplanationSettings settings, CamOptions options, IReadOnlyList<string> paths, string? output, bool overwrite, int batch)
    {
        string outDir = OutputDirectory.Prepare(output, overwrite);
        var summary = new ModelSummary { Path = modelPath, Name = metadata.Name ?? Path.GetFileNameWithoutExtension(modelPath), Input = InputConvention.From(input) };
        var writer = new ExplanationWriter(outDir, summary, settings);
        var methods = settings.Methods.Select(m => CamMethods.Create(m)).ToList();
        using var run = new CamReportRun(graph, input, metadata.Labels, settings.Layers, methods, targets, options) { BatchSize = batch };
        int failures = 0;
        context.WithProgress("explaining", paths.Count, step =>
            failures = run.Explain(paths, writer, (_, message) => context.Error.WriteLine($"gaze: {message}"), step));
        return (writer, writer.Finish(), failures);
    }

    /// <summary>Parses <c>--method</c>: names separated by commas, or <c>all</c>.</summary>
    internal static IReadOnlyList<CamMethod> ParseMethods(string text)
    {
        string[] names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new InvalidOptionException("--method", "no method given");
        if (names is ["all"]) names = [.. CamMethods.Names];
        return names.Distinct(StringComparer.OrdinalIgnoreCase).Select(n => CamMethods.Create(n)).ToList();
    }

    /// <summary>Resolves <c>--layer</c> (names or aliases) and checks that each has spatial dimensions.</summary>
    internal static IReadOnlyList<string> ResolveLayers(string? text, LayerTable table)
    {
        string[] requested = text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (requested.Length == 0) return [table.ResolveSpatial(null).Name];
        var names = new List<string>();
        foreach (string name in requested)
        {
            string resolved = table.ResolveSpatial(name).Name;
            if (!names.Contains(resolved)) names.Add(resolved);
        }
        return names;
    }

    private static void Print(CliContext context, ExplanationWriter writer, ResultsDocument results, int total, int failures)
    {
        int explanations = results.Images.Sum(i => i.Explanations.Count);
        if (context.Json)
        {
            context.Output.WriteLine(JsonSerializer.Serialize(new
            {
                output = writer.OutputDirectory,
                results = writer.ResultsPath,
                report = writer.ReportPath,
                images = total,
                failed = failures,
                explanations,
            }));
            return;
        }
        if (context.Quiet) return;
        var grid = new Table().AddColumns("image", "class", "method", "ms");
        foreach (ImageResult image in results.Images)
        {
            foreach (ExplanationResult e in image.Explanations)
                grid.AddRow(Markup.Escape(image.Path), Markup.Escape($"{e.Target} {e.Label}"), e.Method, e.Milliseconds.ToString("F0"));
        }
        if (explanations > 0 && explanations <= 60) context.Console.Write(grid);
        context.Output.WriteLine($"{total - failures} of {total} image(s) explained ({explanations} maps); report: {writer.ReportPath}");
    }
}
