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
            string layer = ExplainCommand.ResolveLayers(null, LayerTable.Discover(graph, metadata.CamLayer, (input.Size.Height, input.Size.Width)))[0];
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
            var (writer, results, failures) = ExplainCommand.WriteReport(context, graph, modelPath, metadata, input, TargetSelection.Top1,
                settings, CamOptions.Default, samples, parse.GetValue(output), parse.GetValue(overwrite), batch: 8);
            if (context.Json)
                context.Output.WriteLine(JsonSerializer.Serialize(new { output = writer.OutputDirectory, results = writer.ResultsPath, report = writer.ReportPath, images = samples.Count, failed = failures }));
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
