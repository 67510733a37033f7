using System.Diagnostics;
using Gaze.Attribution;
using Gaze.Errors;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Rendering;
using Gaze.Reporting;
using static TorchSharp.torch;

namespace Gaze.Explaining;

/// <summary>
/// Explains image files with one or more methods into an output folder: per image its top-5 predictions, and per
/// method and target the heatmap and overlay at the image's own size and the raw map, then results.json and
/// report.html. Images go in batches; the predictions come from the first explanation's own forward pass. An image
/// that fails to decode is recorded and skipped.
/// </summary>
public sealed class ExplanationRun : IDisposable
{
    private const int ReportedPredictions = 5;

    private readonly LoadedModel model;
    private readonly ExplanationRequest request;
    private readonly TargetSelection targets;
    private readonly IReadOnlyList<string> layers;
    private readonly ImagePreprocessor preprocessor;
    private readonly Explainer explainer;
    private readonly List<string> notes = [];

    /// <summary>Checks the request against the model; nothing is written or computed beyond the layer probe.</summary>
    /// <exception cref="InvalidOptionException">A method option no chosen method takes, a bad target, colormap or opacity.</exception>
    /// <exception cref="UnknownLayerException">A layer that is not in the model.</exception>
    /// <exception cref="UnsuitableLayerException">A layer without spatial dimensions.</exception>
    public ExplanationRun(LoadedModel model, ExplanationRequest request)
    {
        if (request.Methods.Count == 0) throw new InvalidOptionException("--method", "no method given");
        MethodRegistry.RequireApplicable(request.Methods, request.GivenMethodOptions());
        Colormap.FromName(request.Colormap);
        HeatmapRenderer.ValidateOpacity(request.Opacity);
        this.model = model;
        this.request = request;
        layers = request.Methods.Any(m => m.UsesLayers) ? model.ResolveLayers(request.Layers) : [];
        targets = TargetSelection.Parse(request.Target, model.Labels, model.ClassCount);
        preprocessor = new ImagePreprocessor(model.Input);
        BatchSize = model.BatchFor(request.BatchSize, request.Limits);
        explainer = new Explainer(model.Graph, layers, new AttributionOptions
        {
            AugSmooth = request.AugSmooth,
            EigenSmooth = request.EigenSmooth,
            InputLayout = model.Input.Layout,
        });
    }

    /// <summary>
    /// How many images go in one batch: <see cref="ExplanationRequest.BatchSize"/>, reduced when its estimated
    /// activations exceed <see cref="Engine.ResourceLimits.MaxBatchActivationBytes"/>.
    /// </summary>
    public int BatchSize { get; }

    /// <summary>The settings as results.json records them.</summary>
    public ExplanationSettings Settings => new()
    {
        Methods = request.Methods.Select(m => m.Name).ToList(),
        Target = targets.Text,
        Layers = layers,
        Colormap = request.Colormap.ToLowerInvariant(),
        Opacity = request.Opacity,
        AugSmooth = request.AugSmooth,
        EigenSmooth = request.EigenSmooth,
        Threads = get_num_threads(),
        Precision = Engine.PrecisionSupport.Name(model.Graph.Precision),
    };

    /// <summary>
    /// Explains <paramref name="imagePaths"/> into a new output folder and writes results.json and report.html.
    /// </summary>
    /// <param name="imagePaths">Image files.</param>
    /// <param name="imageFailed">Told about each image that could not be read (path, one-line message).</param>
    /// <param name="imageDone">Told after each image, failed or not.</param>
    /// <param name="cancellation">Stops between batches.</param>
    /// <exception cref="OutputFileException">The output folder cannot be made or is not empty.</exception>
    public ExplanationRunResult Write(IReadOnlyList<string> imagePaths, Action<string, string>? imageFailed = null,
        Action? imageDone = null, CancellationToken cancellation = default)
    {
        string outputDirectory = OutputDirectory.Prepare(request.OutputDirectory, request.Overwrite);
        var summary = new ModelSummary { Path = model.Path, Name = model.Name, Input = InputConvention.From(model.Input) };
        var writer = new ExplanationWriter(outputDirectory, summary, Settings);
        int failures = 0;
        foreach (string[] chunk in imagePaths.Chunk(BatchSize))
        {
            cancellation.ThrowIfCancellationRequested();
            var decoded = new List<(string Path, RgbImage Image)>();
            foreach (string path in chunk)
            {
                try
                {
                    decoded.Add((path, ImageDecoder.Load(path, request.Limits)));
                }
                catch (GazeFileException e)
                {
                    failures++;
                    writer.AddFailedImage(path, e.Problem);
                    imageFailed?.Invoke(path, e.Message);
                    imageDone?.Invoke();
                }
            }
            if (decoded.Count > 0) ExplainBatch(decoded, writer);
            foreach (var _ in decoded) imageDone?.Invoke();
        }
        return new ExplanationRunResult(writer.OutputDirectory, writer.ResultsPath, writer.ReportPath, writer.Finish(), imagePaths.Count, failures)
        {
            Notes = [.. notes],
        };
    }

    private void ExplainBatch(List<(string Path, RgbImage Image)> images, ExplanationWriter writer)
    {
        using var scope = NewDisposeScope();
        Tensor input = preprocessor.Preprocess(images.Select(i => i.Image).ToList());
        List<ImageExplanationWriter>? imageWriters = null;
        foreach (AttributionMethod method in request.Methods)
        {
            for (int rank = 0; rank < targets.Count; rank++)
            {
                TargetRequest wanted = targets.FixedClass is int c
                    ? TargetRequest.Classes(Enumerable.Repeat(c, images.Count).ToArray())
                    : TargetRequest.Ranked(rank);
                var clock = Stopwatch.StartNew();
                using Explanation explanation = explainer.Explain(method, input, wanted);
                double milliseconds = clock.Elapsed.TotalMilliseconds / images.Count;
                foreach (string note in explanation.Notes) if (!notes.Contains(note)) notes.Add(note);
                imageWriters ??= AddImages(images, writer, explanation.Scores);
                for (int i = 0; i < images.Count; i++)
                {
                    Heatmap heatmap = explanation.SourceHeatmap(i, preprocessor.GeometryFor(images[i].Image));
                    Heatmap? raw = explanation.RawMaps.Count == 1 ? explanation.RawMap(i) : null;
                    int target = explanation.Targets[i];
                    imageWriters[i].Add(method.Name, target, model.LabelOf(target), method.UsesLayers ? layers : [], heatmap, raw, milliseconds);
                }
            }
        }
    }

    /// <summary>Records the images with their best classes from the scores of an explanation's forward pass.</summary>
    private List<ImageExplanationWriter> AddImages(List<(string Path, RgbImage Image)> images, ExplanationWriter writer, Tensor scores)
    {
        var ranked = ClassRanking.FromScores(scores, ReportedPredictions, model.Labels);
        return images.Select((image, i) => writer.AddImage(image.Path, image.Image, ranked[i]
            .Select(c => new Prediction { Index = c.Index, Label = model.LabelOf(c.Index), Probability = c.Probability, Logit = c.Logit })
            .ToList())).ToList();
    }

    /// <summary>Frees the explainer's sessions.</summary>
    public void Dispose() => explainer.Dispose();
}
