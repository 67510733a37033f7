using System.CommandLine;
using System.Text.Json;
using Gaze.Attribution;
using Gaze.Attribution.Cam;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Reporting;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze demo [--out DIR]</c>: the main job on the built-in model and samples: CAM, Grad-CAM and Score-CAM for
/// every sample image, with results.json and report.html.
/// </summary>
public static class DemoCommand
{
    /// <summary>The methods the demo shows.</summary>
    public static readonly string[] Methods = ["cam", "gradcam", "scorecam"];

    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var output = new Option<string?>("--out", "-o") { Description = "Output directory (default: a new folder under gaze-out/)", HelpName = "DIR" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Write into --out even if it is not empty" };
        var command = new Command("demo", "Explain the built-in sample images with the built-in shapes CNN (CAM, Grad-CAM, Score-CAM) and write the report")
        {
            output, overwrite,
        };
        command.SetAction(parse => app.Execute(parse, context =>
        {
            string modelPath = DefaultModel.Resolve(null);
            ModelMetadata metadata = ModelMetadataReader.ReadFor(modelPath);
            ModelInput input = metadata.Input ?? ModelInput.Default;
            IReadOnlyList<string> samples = ImageFiles.Expand([DefaultModel.SamplesDirectory]);
            using OnnxGraph graph = OnnxGraph.Load(modelPath);
            string layer = metadata.CamLayer ?? LayerTable.Discover(graph).DefaultCamLayer!;
            var methods = Methods.Select(m => CamMethods.Create(m)).ToList();
            var settings = new ExplanationSettings
            {
                Methods = Methods,
                Target = TargetSelection.Top1.Text,
                Layers = [layer],
                Colormap = "jet",
                Opacity = Rendering.HeatmapRenderer.DefaultOpacity,
                AugSmooth = false,
                EigenSmooth = false,
                Threads = TorchSharp.torch.get_num_threads(),
            };
            string outDir = OutputDirectory.Prepare(parse.GetValue(output), parse.GetValue(overwrite));
            var summary = new ModelSummary { Path = modelPath, Name = metadata.Name ?? "shapes-cnn", Input = InputConvention.From(input) };
            var writer = new ExplanationWriter(outDir, summary, settings);
            using var run = new CamReportRun(graph, input, metadata.Labels, [layer], methods, TargetSelection.Top1) { BatchSize = 8 };
            int failures = 0;
            context.WithProgress("explaining", samples.Count, step =>
                failures = run.Explain(samples, writer, (_, message) => context.Error.WriteLine($"gaze: {message}"), step));
            ResultsDocument results = writer.Finish();
            if (context.Json)
                context.Output.WriteLine(JsonSerializer.Serialize(new { output = outDir, results = writer.ResultsPath, report = writer.ReportPath, images = samples.Count, failed = failures }));
            else if (!context.Quiet)
            {
                foreach (ImageResult image in results.Images)
                    context.Output.WriteLine($"{Path.GetFileName(image.Path)}: {image.Predictions[0].Label} ({image.Predictions[0].Probability:P1})");
                context.Output.WriteLine($"{samples.Count} sample(s) explained with {string.Join(", ", Methods)}; report: {writer.ReportPath}");
            }
            return failures == 0 ? ExitCodes.Success : ExitCodes.PartialSuccess;
        }));
        return command;
    }
}
