using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Gaze.Attribution;
using Gaze.Evaluation.Sanity;
using Gaze.Explaining;
using Gaze.Imaging;
using Gaze.IO;
using Gaze.Models;
using Gaze.Reporting;
using Spectre.Console;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze sanity IMAGE|DIR... [--model M] [--method m1,m2|all] [--layer L] [--seed S] [--out DIR]</c>: the
/// model-parameter randomisation test of Adebayo et al. (NeurIPS 2018) for each method, with a verdict, sanity.json
/// and one plot per method (without <c>--model</c>, the built-in shapes CNN).
/// </summary>
public static class SanityCommand
{
    /// <summary>The file the results are written to.</summary>
    public const string ResultsFile = "sanity.json";

    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var images = new Argument<string[]>("IMAGE") { Description = "Images or folders of images (a few suffice; each is explained for the model's top class)", Arity = ArgumentArity.OneOrMore };
        var model = DefaultModel.Option();
        var methodOptions = new MethodOptions(app.Methods, defaultMethod: "gradcam,guided-backprop",
            purpose: "Comma-separated methods to test, or 'all'");
        var seed = new Option<int>("--seed") { Description = "Seed of the random weights", DefaultValueFactory = _ => 0, HelpName = "S" };
        var output = new Option<string?>("--out", "-o") { Description = "Output directory (default: a new folder under gaze-out/)", HelpName = "DIR" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Write into --out even if it is not empty" };
        var command = new Command("sanity",
            "Model-parameter randomisation test (Adebayo et al. 2018): do a method's maps change when the weights are randomised layer by layer?")
        {
            images, model, seed, output, overwrite,
        };
        // --seed here seeds the weights; the methods' valued options stay with explain and bench.
        methodOptions.AddTo(command, withSmoothing: false, withValues: false);
        command.SetAction(parse => app.Execute(parse, context =>
        {
            IReadOnlyList<AttributionMethod> methods = methodOptions.Parse(parse);
            if (parse.GetValue(methodOptions.Layer) is not null) MethodRegistry.RequireApplicable(methods, [methodOptions.Layer.Name]);
            IReadOnlyList<string> paths = ImageFiles.Expand(parse.GetValue(images)!);
            string modelPath = DefaultModel.Resolve(parse.GetValue(model));
            using LoadedModel loaded = LoadedModel.Open(modelPath, limits: context.Limits);
            IReadOnlyList<string> layers = methods.Any(m => m.UsesLayers) ? loaded.ResolveLayers(parse.GetValue(methodOptions.Layer)) : [];
            RgbImage[] pictures = paths.Select(p => ImageDecoder.Load(p, context.Limits)).ToArray();
            var check = new SanityCheck(loaded, layers, parse.GetValue(seed)) { BatchSize = loaded.BatchFor(8, context.Limits) };
            PreparedOutput prepared = OutputDirectory.Claim(parse.GetValue(output), parse.GetValue(overwrite));
            IReadOnlyList<SanityResult> results = [];
            try
            {
                CancellationToken cancellation = context.Interruption.Observe();
                context.WithProgress("randomising layers", check.ModelCount, step =>
                    results = check.Run(methods, pictures, step, cancellation));
                JsonObject document = SanityDocument.Of(results, new Dictionary<string, JsonNode?>
                {
                    ["gaze"] = GazeVersion.Current,
                    ["model"] = modelPath,
                    ["images"] = new JsonArray(paths.Select(p => (JsonNode)p).ToArray()),
                    ["layers"] = new JsonArray(layers.Select(l => (JsonNode)l).ToArray()),
                    ["seed"] = check.Seed,
                    ["weighted_layers"] = new JsonArray(check.WeightedLayers.Select(l => (JsonNode)l.Name).ToArray()),
                });
                AtomicFile.WriteAllBytes(Path.Combine(prepared.Path, ResultsFile), System.Text.Encoding.UTF8.GetBytes(SanityDocument.Serialize(document, indented: true)));
                foreach (SanityResult result in results)
                    AtomicFile.WriteAllBytes(Path.Combine(prepared.Path, $"sanity-{result.Method}.png"), SanityPlot.Png(result));
            }
            catch
            {
                prepared.RemoveIfCreated();
                throw;
            }
            if (context.Json)
            {
                context.Output.WriteLine(SanityDocument.Serialize(SanityDocument.Of(results), indented: false));
                return ExitCodes.Success;
            }
            if (!context.Quiet) Print(context, results, check.WeightedLayers);
            context.Output.WriteLine($"wrote {Path.Combine(prepared.Path, ResultsFile)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// One row per method: its verdict and its mean absolute-value Spearman correlation at each cascade step, in one
    /// cell that wraps (a deep model has dozens of steps, and <c>--method all</c> over twenty methods).
    /// </summary>
    private static void Print(CliContext context, IReadOnlyList<SanityResult> results, IReadOnlyList<WeightedLayer> layers)
    {
        int verdictStep = Math.Min(SanityResult.VerdictLayers, layers.Count);
        var table = new Table()
            .AddColumn("method")
            .AddColumn("verdict")
            .AddColumn($"abs Spearman after randomising the top k layers, k = 1..{layers.Count} (k = {verdictStep} decides)");
        foreach (SanityResult result in results)
        {
            IEnumerable<string> values = result.Cascade.Select((step, i) =>
            {
                string value = step.SpearmanAbs.ToString("F2", CultureInfo.InvariantCulture);
                return i + 1 == verdictStep ? $"[bold]{value}[/]" : value;
            });
            table.AddRow(Markup.Escape(result.Method), result.Verdict == SanityVerdict.Pass ? "[green]pass[/]" : "[red]fail[/]", string.Join("  ", values));
        }
        string order = string.Join(", ", layers.Take(6).Select(l => l.Name)) + (layers.Count > 6 ? ", ..." : "");
        table.Caption(Markup.Escape($"pass below {SanityResult.Threshold.ToString(CultureInfo.InvariantCulture)}; layers from the output: {order}"));
        context.Console.Write(table);
    }
}
