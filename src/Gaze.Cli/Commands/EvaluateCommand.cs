using System.CommandLine;
using System.Globalization;
using Gaze.Attribution;
using Gaze.Attribution.Pixel;
using Gaze.Datasets;
using Gaze.Evaluation;
using Gaze.Evaluation.Sanity;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Reporting;
using Spectre.Console;

namespace Gaze.Cli.Commands;

/// <summary>
/// <c>gaze evaluate [IMAGE|DIR...] [--model M] [--method m1,m2|all] [--boxes FILE] [--metrics ...|all] [--out DIR]</c>:
/// can this heatmap be trusted? Localisation against ground truth (a shapes folder's annotations, a boxes file, or
/// freshly generated shapes) and faithfulness to the model, each beside a random and a centre-Gaussian heatmap.
/// </summary>
public static class EvaluateCommand
{
    // Evaluate uses these names for its own settings: the data's seed, the curves' steps and baseline.
    private static readonly string[] TakenNames = ["--seed", "--steps", "--baseline"];

    /// <summary>Builds the command.</summary>
    public static Command Create(GazeApp app)
    {
        var images = new Argument<string[]>("IMAGE")
        {
            Description = "Images, folders of images, or one shapes folder with annotations.json (default: generate --count shapes with --seed)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var model = DefaultModel.Option();
        var boxes = new Option<string?>("--boxes") { Description = "Ground truth for arbitrary images: {\"images\": [{\"file\", \"class\", \"boxes\": [[x0,y0,x1,y1], ...]}]}", HelpName = "FILE" };
        var metrics = new Option<string>("--metrics")
        {
            Description = $"Comma-separated metrics or all: {string.Join(", ", EvaluationMetrics.All)} (localisation ones need ground truth)",
            DefaultValueFactory = _ => "all",
        };
        var tolerance = new Option<int>("--tolerance") { Description = "Pointing game tolerance in pixels (0: the maximum itself must hit)", DefaultValueFactory = _ => 15 };
        var steps = new Option<int>("--steps") { Description = "Steps of the deletion and insertion curves", DefaultValueFactory = _ => 20 };
        var baseline = new Option<string>("--baseline") { Description = "What deleted pixels become and insertion starts from: black, blur or mean", DefaultValueFactory = _ => "black" };
        var roadPercentiles = new Option<string>("--road-percentiles")
        {
            Description = "Percentages of pixels ROAD imputes, most and least relevant first",
            DefaultValueFactory = _ => "10,20,30,40,50,60,70,80,90",
            HelpName = "P1,P2",
        };
        var roadImages = new Option<int?>("--road-images")
        {
            Description = "ROAD only on the first N images (the costliest metric; default all)",
            HelpName = "N",
            CustomParser = r => OptionParsers.PositiveInt(r, "--road-images"),
        };
        var count = new Option<int>("--count") { Description = "Generated images when no IMAGE is given", DefaultValueFactory = _ => 1000, CustomParser = r => OptionParsers.PositiveInt(r, "--count") ?? 0 };
        var seed = new Option<int>("--seed") { Description = "Seeds the generated shapes, the random baseline and the methods' noise (the shipped model trained on seeds 1 and 2)", DefaultValueFactory = _ => 1000 };
        var sanity = new Option<int>("--sanity")
        {
            Description = "Also give each method the sanity verdict of gaze sanity (weight randomisation), on the first N images",
            HelpName = "N",
            CustomParser = r => OptionParsers.PositiveInt(r, "--sanity") ?? 0,
        };
        var output = new Option<string?>("--out", "-o") { Description = "Output directory (default: a new folder under gaze-out/)", HelpName = "DIR" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Write into --out even if it is not empty" };
        var methodOptions = new MethodOptions(app.Methods, defaultMethod: "gradcam", purpose: "Comma-separated methods to evaluate, or 'all'");
        var command = new Command("evaluate", "Can this heatmap be trusted? Localisation and faithfulness metrics per method, beside random and centre baselines")
        {
            images, model, boxes, metrics, tolerance, steps, baseline, roadPercentiles, roadImages, count, seed, sanity, output, overwrite,
        };
        methodOptions.AddTo(command, withSmoothing: false, withValues: true, taken: TakenNames);
        command.SetAction(parse => app.Execute(parse, context =>
        {
            string modelPath = DefaultModel.Resolve(parse.GetValue(model));
            IReadOnlyList<AttributionMethod> chosen = methodOptions.Parse(parse);
            MethodSettings given = methodOptions.Settings(parse);
            Explaining.MethodRegistry.RequireApplicable(chosen, parse.GetValue(methodOptions.Layer) is null ? given.Names : [methodOptions.Layer.Name, .. given.Names]);
            int dataSeed = parse.GetValue(seed);
            MethodSettings settings = given.With("--seed", dataSeed.ToString(CultureInfo.InvariantCulture));
            IReadOnlyList<AttributionMethod> methods = chosen.Select(m => m.Configure(settings)).ToArray();

            using LoadedModel loaded = LoadedModel.Open(modelPath, limits: context.Limits);
            IReadOnlyList<string> layers = methods.Any(m => m.UsesLayers) ? loaded.ResolveLayers(parse.GetValue(methodOptions.Layer)) : [];
            ImageSet set = Images(parse.GetValue(images) ?? [], parse.GetValue(boxes), loaded, parse.GetValue(count), dataSeed);
            var options = new EvaluationOptions
            {
                Metrics = EvaluationMetrics.Parse(parse.GetValue(metrics)!, set.HasBoxes),
                Tolerance = parse.GetValue(tolerance),
                Steps = parse.GetValue(steps),
                CurveBaseline = CurveBaseline(parse.GetValue(baseline)!),
                RoadPercentiles = Percentages(parse.GetValue(roadPercentiles)!),
                RoadImages = parse.GetValue(roadImages),
                Seed = dataSeed,
            };
            using var run = new EvaluationRun(loaded, methods, layers, options);

            PreparedOutput prepared = OutputDirectory.Claim(parse.GetValue(output), parse.GetValue(overwrite));
            IReadOnlyDictionary<string, object?> document;
            EvaluationResult? result = null;
            try
            {
                // A partial score means nothing: Ctrl+C stops at the next batch, writes nothing and exits 130.
                CancellationToken cancellation = context.Interruption.Observe();
                context.WithProgress("evaluating", set.Count, step => result = run.Run(set, step, cancellation));
                if (parse.GetValue(sanity) is int checkedImages and > 0)
                {
                    var check = new SanityCheck(loaded, layers, dataSeed) { VerdictOnly = true };
                    RgbImage[] first = set.Images().Take(checkedImages).Select(i => i.Image).ToArray();
                    IReadOnlyList<SanityResult> verdicts = [];
                    context.WithProgress("sanity check", check.ModelCount, step => verdicts = check.Run(methods, first, step, cancellation));
                    result = result! with { Sanity = verdicts };
                }
                document = EvaluationWriter.Document(result!, modelPath, set.Description, layers);
                EvaluationWriter.Write(prepared.Path, result!, document, $"{Path.GetFileName(modelPath)} on {set.Description}");
            }
            catch
            {
                prepared.RemoveIfCreated();
                throw;
            }
            if (context.Json) context.Output.WriteLine(EvaluationWriter.Serialize(document));
            else Print(context, result!, prepared.Path);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The images to evaluate and their ground truth, checked before anything runs.</summary>
    private static ImageSet Images(string[] arguments, string? boxes, LoadedModel model, int count, int seed)
    {
        IReadOnlyList<string> labels = model.Labels ?? [];
        if (boxes is not null)
        {
            ImageSet listed = ImageSet.FromBoxesFile(boxes, model.Labels);
            return arguments.Length == 0 ? listed : listed.Only(ImageFiles.Expand(arguments));
        }
        if (arguments.Length == 0) return ImageSet.Generated(new ShapesGenerator(seed), count, labels);
        if (arguments.Length == 1 && File.Exists(Path.Combine(arguments[0], AnnotationsFile.FileName)))
            return ImageSet.FromShapesFolder(arguments[0], labels);
        return ImageSet.Unlabelled(ImageFiles.Expand(arguments));
    }

    private static int[] Percentages(string text)
    {
        var values = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
                throw new Errors.InvalidOptionException("--road-percentiles", $"expected whole percentages such as 20,50,80, got '{part}'");
            values.Add(value);
        }
        return [.. values];
    }

    private static Baseline CurveBaseline(string text) => text.ToLowerInvariant() switch
    {
        "black" => Baseline.Black,
        "blur" => Baseline.Blur,
        "mean" => Baseline.Mean,
        _ => throw new Errors.InvalidOptionException("--baseline", $"must be black, blur or mean, got '{text}'"),
    };

    private static void Print(CliContext context, EvaluationResult result, string directory)
    {
        if (!context.Quiet)
        {
            EvaluationTable grid = EvaluationTable.Of(result, EvaluationTable.TerminalFigures, compact: true);
            var table = new Table().Border(TableBorder.Simple);
            for (int i = 0; i < grid.Headers.Count; i++)
            {
                // Explicit widths: left to itself, Spectre wraps numbers inside their cells on an 80-column console.
                int width = Math.Max(grid.Headers[i].Split(' ').Max(w => w.Length), grid.Rows.Max(r => r.Cells[i].Length));
                var column = new TableColumn(Markup.Escape(grid.Headers[i])).Width(width).NoWrap();
                table.AddColumn(i == 0 ? column.Padding(0, 0) : column.RightAligned().Padding(1, 0));
            }
            foreach (var (row, cells) in grid.Rows)
                table.AddRow(cells.Select(c => row.IsBaseline ? $"[grey]{Markup.Escape(c)}[/]" : Markup.Escape(c)).ToArray());
            context.Console.Write(table);
        }
        string accuracy = result.Accuracy is double a ? $"; accuracy {a.ToString("P1", CultureInfo.InvariantCulture)} ({result.Correct} of {result.Labelled})" : "";
        context.Output.WriteLine($"{result.Images} images{accuracy}; report: {Path.Combine(directory, EvaluationWriter.ReportFile)}");
    }
}
