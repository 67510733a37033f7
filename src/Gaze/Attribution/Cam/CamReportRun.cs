using System.Diagnostics;
using Gaze.Errors;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using Gaze.Reporting;
using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// Explains image files with one or more CAM methods and records everything in an <see cref="ExplanationWriter"/>:
/// per image its top-5 predictions, and per method and target the heatmap and overlay at the image's own size and
/// the raw map. Images are processed in batches; an image that fails to decode is recorded and skipped.
/// </summary>
public sealed class CamReportRun : IDisposable
{
    private readonly OnnxGraph graph;
    private readonly ImagePreprocessor preprocessor;
    private readonly IReadOnlyList<string>? labels;
    private readonly IReadOnlyList<string> layers;
    private readonly IReadOnlyList<CamMethod> methods;
    private readonly TargetSelection targets;
    private readonly CamExplainer explainer;

    /// <summary>Prepares a run; nothing is computed yet.</summary>
    /// <param name="graph">The model.</param>
    /// <param name="input">Its input convention.</param>
    /// <param name="labels">Its class labels, if any.</param>
    /// <param name="layers">Target layers (tensor names); several are averaged.</param>
    /// <param name="methods">The methods, each explained for every image and target.</param>
    /// <param name="targets">Which classes to explain.</param>
    /// <param name="options">Smoothing and scoring options.</param>
    public CamReportRun(OnnxGraph graph, ModelInput input, IReadOnlyList<string>? labels, IReadOnlyList<string> layers,
        IReadOnlyList<CamMethod> methods, TargetSelection targets, CamOptions? options = null)
    {
        if (methods.Count == 0) throw new ArgumentException("at least one method is needed", nameof(methods));
        this.graph = graph;
        preprocessor = new ImagePreprocessor(input);
        this.labels = labels;
        this.layers = layers;
        this.methods = methods;
        this.targets = targets;
        explainer = new CamExplainer(graph, layers, (options ?? CamOptions.Default) with { InputLayout = input.Layout });
    }

    /// <summary>How many images are preprocessed and explained together.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>
    /// Explains <paramref name="imagePaths"/> into <paramref name="writer"/> (without finishing it).
    /// </summary>
    /// <param name="imagePaths">Image files.</param>
    /// <param name="writer">Where the results go.</param>
    /// <param name="imageFailed">Told about each image that could not be read (path, one-line message).</param>
    /// <param name="imageDone">Told after each image, failed or not.</param>
    /// <param name="cancellation">Stops between batches.</param>
    /// <returns>How many images failed.</returns>
    public int Explain(IReadOnlyList<string> imagePaths, ExplanationWriter writer, Action<string, string>? imageFailed = null,
        Action? imageDone = null, CancellationToken cancellation = default)
    {
        int failures = 0;
        foreach (string[] chunk in imagePaths.Chunk(Math.Max(1, BatchSize)))
        {
            cancellation.ThrowIfCancellationRequested();
            var decoded = new List<(string Path, RgbImage Image)>();
            foreach (string path in chunk)
            {
                try
                {
                    decoded.Add((path, ImageDecoder.Load(path)));
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
        return failures;
    }

    private void ExplainBatch(List<(string Path, RgbImage Image)> images, ExplanationWriter writer)
    {
        using var scope = NewDisposeScope();
        Tensor input = preprocessor.Preprocess(images.Select(i => i.Image).ToList());
        Tensor scores = graph.Scores(input);
        var ranked = ClassRanking.FromScores(scores, (int)Math.Min(scores.shape[1], Math.Max(5, targets.Count)), labels);
        var imageWriters = images.Select((image, i) => writer.AddImage(image.Path, image.Image,
            ranked[i].Take(5).Select(c => new Reporting.Prediction
            {
                Index = c.Index, Label = LabelOf(c.Index), Probability = c.Probability, Logit = c.Logit,
            }).ToList())).ToList();

        foreach (CamMethod method in methods)
        {
            for (int rank = 0; rank < targets.Count; rank++)
            {
                int[] batchTargets = ranked.Select(r => targets.FixedClass ?? r[rank].Index).ToArray();
                var clock = Stopwatch.StartNew();
                using CamExplanation explanation = explainer.Explain(input, batchTargets, method);
                double milliseconds = clock.Elapsed.TotalMilliseconds / images.Count;
                for (int i = 0; i < images.Count; i++)
                {
                    Heatmap heatmap = explanation.SourceHeatmap(i, preprocessor.GeometryFor(images[i].Image));
                    Heatmap? raw = layers.Count == 1 ? explanation.RawMap(i) : null;
                    imageWriters[i].Add(method.Name, batchTargets[i], LabelOf(batchTargets[i]), layers, heatmap, raw, milliseconds);
                }
            }
        }
    }

    private string LabelOf(int index) => labels is not null && index < labels.Count ? labels[index] : $"class {index}";

    /// <summary>Frees the explainer's sessions.</summary>
    public void Dispose() => explainer.Dispose();
}
