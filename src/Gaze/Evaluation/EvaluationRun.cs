using System.Diagnostics;
using Gaze.Attribution;
using Gaze.Errors;
using Gaze.Evaluation.Faithfulness;
using Gaze.Evaluation.Localisation;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Rendering;
using static TorchSharp.torch;

namespace Gaze.Evaluation;

/// <summary>
/// Scores methods' heatmaps on a set of images: localisation against ground truth, faithfulness to the model,
/// each beside the same figures for a seeded random heatmap and a centre Gaussian (the floors a method must beat).
/// Images stream through in batches; only running means, mean curves and the few worst images are kept.
/// </summary>
public sealed class EvaluationRun : IDisposable
{
    /// <summary>The random-heatmap baseline's row name.</summary>
    public const string RandomBaseline = "random";

    /// <summary>The centre-Gaussian baseline's row name.</summary>
    public const string CentreBaseline = "centre";

    private const int WorstThumbnailSide = 160;

    private readonly LoadedModel model;
    private readonly IReadOnlyList<AttributionMethod> methods;
    private readonly EvaluationOptions options;
    private readonly ImagePreprocessor preprocessor;
    private readonly Explainer explainer;
    private readonly double[] roadPercentages;
    private readonly double roadNoise;

    /// <summary>Prepares an evaluation of <paramref name="methods"/> (already configured) on <paramref name="model"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="methods">The methods, in the order of the table.</param>
    /// <param name="layers">The target layers of the methods that take one.</param>
    /// <param name="options">What to measure.</param>
    /// <exception cref="InvalidOptionException">No method, or an option out of range.</exception>
    public EvaluationRun(LoadedModel model, IReadOnlyList<AttributionMethod> methods, IReadOnlyList<string> layers, EvaluationOptions options)
    {
        if (methods.Count == 0) throw new InvalidOptionException("--method", "no method given");
        options.Validate();
        this.model = model;
        this.methods = methods;
        this.options = options;
        preprocessor = new ImagePreprocessor(model.Input);
        explainer = new Explainer(model.Graph, layers, new AttributionOptions { InputLayout = model.Input.Layout, Input = model.Input });
        roadPercentages = options.RoadPercentiles.Select(p => (double)p).ToArray();
        roadNoise = Road.NoiseFor(model.Input);
    }

    /// <summary>Evaluates every image of <paramref name="images"/>.</summary>
    /// <param name="images">The images, with ground truth when localisation metrics are chosen.</param>
    /// <param name="imageDone">Told after each image.</param>
    /// <param name="cancellation">Checked between batches; a cancelled run throws and reports nothing.</param>
    /// <exception cref="InvalidOptionException">Localisation metrics were chosen but the images have no boxes.</exception>
    /// <exception cref="DataFormatException">A true class is outside the model's classes.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was triggered.</exception>
    public EvaluationResult Run(ImageSet images, Action? imageDone = null, CancellationToken cancellation = default)
    {
        if (options.NeedsGroundTruth && !images.HasBoxes)
            throw new InvalidOptionException("--metrics", "localisation metrics need ground truth: give --boxes FILE or a shapes folder with annotations.json");
        var methodRows = methods.Select(m => new RowAccumulator(m.Name, isBaseline: false, options.WorstImages)).ToArray();
        var randomRow = new RowAccumulator(RandomBaseline, isBaseline: true, 0);
        var centreRow = new RowAccumulator(CentreBaseline, isBaseline: true, 0);
        var perImage = new List<ImageScores>();
        int labelled = 0, correct = 0, index = 0;
        int height = model.Input.Size.Height, width = model.Input.Size.Width;
        using Tensor centre = HeatmapBaselines.CentreGaussian(height, width);

        foreach (LabelledImage[] batch in images.Images().Chunk(options.BatchSize))
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            Tensor modelInput = preprocessor.Preprocess(batch.Select(b => b.Image).ToList());
            Tensor input = explainer.Context.ToChannelsFirst(modelInput);
            long[] predicted = explainer.Context.Scores(input).argmax(1).data<long>().ToArray();
            int[] targets = batch.Select((image, i) => image.Class ?? (int)predicted[i]).ToArray();
            foreach (LabelledImage image in batch) RequireKnownClass(image);
            Tensor curveBaselines = options.CurveBaseline.For(input, explainer.Context, options.Seed);

            var rows = batch.Select(_ => new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal)).ToArray();
            // One view of each image serves the baselines and every method.
            Sample[] samples = batch.Select((image, i) =>
                new Sample(index + i, image, preprocessor.GeometryFor(image.Image), input.narrow(0, i, 1), curveBaselines.narrow(0, i, 1), targets[i])).ToArray();
            for (int i = 0; i < batch.Length; i++)
            {
                Sample sample = samples[i];
                using Tensor random = HeatmapBaselines.Random(height, width, unchecked(options.Seed * 7919 + index + i));
                rows[i][RandomBaseline] = Measure(randomRow, sample, random);
                rows[i][CentreBaseline] = Measure(centreRow, sample, centre);
            }
            for (int m = 0; m < methods.Count; m++)
            {
                var clock = Stopwatch.StartNew();
                using Explanation explanation = explainer.Explain(methods[m], modelInput, targets);
                methodRows[m].AddTime(clock.Elapsed.TotalMilliseconds, batch.Length);
                for (int i = 0; i < batch.Length; i++)
                    rows[i][methods[m].Name] = Measure(methodRows[m], samples[i], explanation.Heatmaps[i]);
            }
            for (int i = 0; i < batch.Length; i++)
            {
                if (batch[i].Class is int truth)
                {
                    labelled++;
                    if (truth == predicted[i]) correct++;
                }
                perImage.Add(new ImageScores(batch[i].Name, batch[i].Class, (int)predicted[i], targets[i], rows[i]));
                imageDone?.Invoke();
            }
            index += batch.Length;
        }
        return new EvaluationResult(index, labelled, correct, methodRows.Select(r => r.ToRow()).ToArray(),
            [randomRow.ToRow(), centreRow.ToRow()], perImage, options);
    }

    /// <summary>Frees the explainer's sessions.</summary>
    public void Dispose() => explainer.Dispose();

    /// <summary>One image as every row sees it: its pixels and ground truth, its input tensor and curve baseline.</summary>
    private sealed record Sample(int Index, LabelledImage Image, InputGeometry Geometry, Tensor Input, Tensor CurveBaseline, int Target);

    /// <summary>Every chosen figure of <paramref name="map"/> (a [H,W] heatmap at the input size) for one image.</summary>
    private Dictionary<string, double> Measure(RowAccumulator row, Sample sample, Tensor map)
    {
        using var scope = NewDisposeScope();
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        Heatmap? source = null;
        if (options.NeedsGroundTruth)
        {
            source = SourceMap(map, sample.Geometry);
            LocalisationScores scores = LocalisationScores.Measure(source, sample.Image.Boxes, sample.Image.Mask, options.Tolerance);
            if (options.Measures(EvaluationMetrics.Pointing)) figures[EvaluationMetrics.PointingFigure] = scores.PointingHit ? 1 : 0;
            if (options.Measures(EvaluationMetrics.Energy)) figures[EvaluationMetrics.EnergyFigure] = scores.Energy;
            if (options.Measures(EvaluationMetrics.BoxIou))
            {
                figures[EvaluationMetrics.BoxIouFigure] = scores.BoxIou;
                figures[EvaluationMetrics.BoxLocalisationFigure] = scores.BoxIou >= 0.5 ? 1 : 0;
                if (scores.MaskIou is double maskIou) figures[EvaluationMetrics.MaskIouFigure] = maskIou;
            }
        }
        Func<Tensor, Tensor> scorer = explainer.Context.Scores;
        if (options.Measures(EvaluationMetrics.Deletion))
        {
            FaithfulnessCurve curve = DeletionInsertion.Deletion(scorer, sample.Input, map, sample.Target, sample.CurveBaseline, options.Steps);
            figures[EvaluationMetrics.DeletionFigure] = curve.Auc;
            row.AddCurve(RowAccumulator.Curves.Deletion, curve.Values);
        }
        if (options.Measures(EvaluationMetrics.Insertion))
        {
            FaithfulnessCurve curve = DeletionInsertion.Insertion(scorer, sample.Input, map, sample.Target, sample.CurveBaseline, options.Steps);
            figures[EvaluationMetrics.InsertionFigure] = curve.Auc;
            row.AddCurve(RowAccumulator.Curves.Insertion, curve.Values);
        }
        if (options.Measures(EvaluationMetrics.Confidence))
            figures[EvaluationMetrics.ConfidenceFigure] = ConfidenceChange.Of(scorer, sample.Input, map, sample.Target);
        if (options.Measures(EvaluationMetrics.Road) && (options.RoadImages is not int limit || sample.Index < limit))
        {
            RoadResult road = Road.Evaluate(scorer, sample.Input, map, sample.Target, roadPercentages, roadNoise, options.Seed);
            figures[EvaluationMetrics.RoadMostRelevantFigure] = road.MostRelevantFirst;
            figures[EvaluationMetrics.RoadLeastRelevantFigure] = road.LeastRelevantFirst;
            figures[EvaluationMetrics.RoadFigure] = road.Combined;
            row.AddCurve(RowAccumulator.Curves.RoadMostRelevant, road.MostRelevantFirstValues);
            row.AddCurve(RowAccumulator.Curves.RoadLeastRelevant, road.LeastRelevantFirstValues);
        }
        foreach (var (figure, value) in figures) row.AddFigure(figure, value);
        OfferWorst(row, sample, map, source, figures);
        return figures;
    }

    /// <summary>Keeps the image among the row's worst, ranked by its first figure that says most about a method.</summary>
    private static void OfferWorst(RowAccumulator row, Sample sample, Tensor map, Heatmap? source, Dictionary<string, double> figures)
    {
        if (row.IsBaseline) return;
        string? figure = WorstRanking.FirstOrDefault(figures.ContainsKey);
        if (figure is null || !row.WouldKeep(figure, figures[figure])) return;
        source ??= SourceMap(map, sample.Geometry);
        RgbImage overlay = HeatmapRenderer.Overlay(sample.Image.Image, source, Colormap.Jet);
        double scale = Math.Min(1.0, (double)WorstThumbnailSide / Math.Max(overlay.Width, overlay.Height));
        if (scale < 1)
            overlay = ImageResampler.Resize(overlay, Math.Max(1, (int)Math.Round(overlay.Width * scale)), Math.Max(1, (int)Math.Round(overlay.Height * scale)));
        using var png = new MemoryStream();
        ImageEncoder.Encode(overlay, ImageFileFormat.Png, ImageEncoder.DefaultJpegQuality, png);
        row.OfferWorst(new WorstImage(sample.Image.Name, figure, figures[figure], png.ToArray()));
    }

    private static readonly string[] WorstRanking =
    [
        EvaluationMetrics.EnergyFigure, EvaluationMetrics.PointingFigure, EvaluationMetrics.DeletionFigure,
        EvaluationMetrics.InsertionFigure, EvaluationMetrics.RoadFigure, EvaluationMetrics.ConfidenceFigure,
    ];

    private static Heatmap SourceMap(Tensor map, InputGeometry geometry) => HeatmapProjection.ToSource(Heatmap.FromTensor(map), geometry);

    private void RequireKnownClass(LabelledImage image)
    {
        if (image.Class is int c && (c < 0 || c >= model.ClassCount))
            throw new DataFormatException(image.Name, $"class {c} is outside the model's {model.ClassCount} classes");
    }
}
