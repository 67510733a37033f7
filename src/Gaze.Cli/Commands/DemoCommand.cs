using System.CommandLine;
using System.Text.Json;
using Gaze.Explaining;
using Gaze.Imaging;
using Gaze.Models;
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
            IReadOnlyList<string> samples = ImageFiles.Expand([DefaultModel.SamplesDirectory]);
            using LoadedModel model = LoadedModel.Open(DefaultModel.Resolve(null), limits: context.Limits);
            var request = new ExplanationRequest
            {
                Methods = [.. Methods.Select(m => app.Methods.Get(m))],
                BatchSize = 8,
                Limits = context.Limits,
                OutputDirectory = parse.GetValue(output),
                Overwrite = parse.GetValue(overwrite),
            };
            ExplanationRunResult result = ExplanationProgress.Run(context, model, request, samples);
            if (!result.Written || !result.Complete) return ExplanationProgress.Outcome(context, result);
            if (context.Json)
            {
                context.Output.WriteLine(JsonSerializer.Serialize(new { output = result.OutputDirectory, results = result.ResultsPath, report = result.ReportPath, images = result.Images, failed = result.Failures }));
            }
            else if (!context.Quiet)
            {
                foreach (ImageResult image in result.Results.Images.Where(i => i.Predictions.Count > 0))
                    context.Output.WriteLine($"{Path.GetFileName(image.Path)}: {image.Predictions[0].Label} ({image.Predictions[0].Probability:P1})");
                context.Output.WriteLine($"{result.Images} sample(s) explained with {string.Join(", ", Methods)}; report: {result.ReportPath}");
            }
            return result.Failures == 0 ? ExitCodes.Success : ExitCodes.PartialSuccess;
        }));
        return command;
    }
}
