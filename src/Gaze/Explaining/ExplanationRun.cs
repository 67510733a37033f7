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
/// method and target the heatmap and overlay at the image's own size (bounded by
/// <see cref="Engine.ResourceLimits.MaxOutputPixels"/>) and the raw map, then results.json and
/// report.html. Images go in batches; the predictions come from the first explanation's own forward pass. An image
/// that fails to decode, or whose scores or gradients are not finite, is recorded and skipped.
/// </summary>
public sealed class ExplanationRun : IDisposable
{
    private const int ReportedPredictions = 5;

    private readonly LoadedModel model;
    private readonly ExplanationRequest request;
    private readonly IReadOnlyList<AttributionMethod> methods;
    private readonly TargetSelection targets;
    private readonly IReadOnlyList<string> layers;
    private readonly ImagePreprocessor preprocessor;
    private readonly Explainer explainer;
    private readonly List<string> notes = [];
    private ExplanationWriter? current;

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
        methods = request.Methods.Select(m => m.Configure(request.Settings)).ToArray();
        layers = request.Methods.Any(m => m.UsesLayers) ? model.ResolveLayers(request.Layers) : [];
        targets = TargetSelection.Parse(request.Target, model.Labels, model.ClassCount);
        preprocessor = new ImagePreprocessor(model.Input);
        BatchSize = model.BatchFor(request.BatchSize, request.Limits);
        explainer = new Explainer(model.Graph, layers, new AttributionOptions
        {
            AugSmooth = request.AugSmooth,
            EigenSmooth = request.EigenSmooth,
            InputLayout = model.Input.Layout,
            Input = model.Input,
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
        Methods = methods.Select(m => m.Name).ToList(),
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
    /// An image that cannot be decoded, or for which the model's scores or gradients are not finite, is recorded as
    /// failed and the others go on. When no image could be explained nothing is written, and an output folder this
    /// call created is removed again (<see cref="ExplanationRunResult.Written"/> is false).
    /// </summary>
    /// <param name="imagePaths">Image files.</param>
    /// <param name="imageFailed">Told about each image that could not be explained (path, one-line message).</param>
    /// <param name="imageDone">Told after each image, failed or not.</param>
    /// <param name="cancellation">
    /// Stops the run after the current batch; what is finished is then written, marked incomplete with the count of
    /// images left (<see cref="ResultsDocument.Complete"/>, <see cref="ResultsDocument.ImagesLeft"/>).
    /// </param>
    /// <exception cref="OutputFileException">The output folder cannot be made or is not empty.</exception>
    public ExplanationRunResult Write(IReadOnlyList<string> imagePaths, Action<string, string>? imageFailed = null,
        Action? imageDone = null, CancellationToken cancellation = default)
    {
        PreparedOutput output = OutputDirectory.Claim(request.OutputDirectory, request.Overwrite);
        var summary = new ModelSummary { Path = model.Path, Name = model.Name, Input = InputConvention.From(model.Input, model.InputSources) };
        var writer = new ExplanationWriter(output.Path, summary, Settings);
        Volatile.Write(ref current, writer);
        int failures = 0;
        int reached = 0;
        try
        {
            foreach (string[] chunk in imagePaths.Chunk(BatchSize))
            {
                if (cancellation.IsCancellationRequested) break;
                using var scope = NewDisposeScope();
                var decoded = new List<PreparedImage>();
                foreach (string path in chunk)
                {
                    try
                    {
                        decoded.Add(Prepare(path));
                    }
                    catch (GazeFileException e)
                    {
                        failures++;
                        writer.AddFailedImage(path, e.Problem);
                        imageFailed?.Invoke(path, e.Message);
                        imageDone?.Invoke();
                    }
                }
                if (decoded.Count > 0) failures += ExplainBatch(decoded, writer, imageFailed);
                foreach (var _ in decoded) imageDone?.Invoke();
                reached += chunk.Length;
            }
        }
        catch
        {
            writer.RemoveTemporaryFiles();
            if (!writer.HasExplanations) output.RemoveIfCreated();
            throw;
        }

        int left = imagePaths.Count - reached;
        bool written = writer.HasExplanations;
        ResultsDocument results;
        if (written)
        {
            results = writer.Finish(left);
        }
        else
        {
            // Nothing for nothing: no results, report or folder for a run that explained no image.
            results = writer.Discard() with { Complete = left == 0, ImagesLeft = left };
            output.RemoveIfCreated();
        }
        return new ExplanationRunResult(writer.OutputDirectory, writer.ResultsPath, writer.ReportPath, results, imagePaths.Count, failures)
        {
            Notes = [.. notes],
            Written = written,
        };
    }

    /// <summary>
    /// Removes, best effort and from any thread, the temporary files of the run in progress; for a process that is
    /// about to end before the run can finish (a second interrupt).
    /// </summary>
    public void Abandon() => Volatile.Read(ref current)?.RemoveTemporaryFiles();

    /// <summary>
    /// One decoded image: its model input, and the picture its heatmaps and overlays are drawn on with the geometry
    /// that carries the input frame onto that picture.
    /// </summary>
    private sealed record PreparedImage(string Path, int Width, int Height, RgbImage Shown, InputGeometry Geometry, Tensor Input);

    /// <summary>
    /// Decodes and preprocesses one image at once, so that a batch holds one full-size image at a time. The model
    /// sees the whole image; a picture larger than <see cref="Engine.ResourceLimits.MaxOutputPixels"/> is kept only
    /// as a reduced copy for the heatmaps and overlays. Preprocessing scales and crops uniformly, so the input-to-image
    /// mapping for the copy is the full image's with the copy's size.
    /// </summary>
    private PreparedImage Prepare(string path)
    {
        RgbImage image = ImageDecoder.Load(path, request.Limits);
        Tensor input = preprocessor.Preprocess(image);
        var (width, height) = request.Limits.OutputSize(image.Width, image.Height);
        RgbImage shown = width == image.Width && height == image.Height ? image : ImageResampler.Resize(image, width, height);
        InputGeometry geometry = preprocessor.GeometryFor(image) with { SourceWidth = width, SourceHeight = height };
        return new PreparedImage(path, image.Width, image.Height, shown, geometry, input);
    }

    /// <summary>Explains one batch; returns how many of its images failed because the model's numbers were not finite.</summary>
    private int ExplainBatch(List<PreparedImage> images, ExplanationWriter writer, Action<string, string>? imageFailed)
    {
        using var scope = NewDisposeScope();
        Tensor input = cat(images.Select(i => i.Input).ToList(), 0);
        ImageExplanationWriter?[]? imageWriters = null;
        var failed = new bool[images.Count];
        void Fail(int i)
        {
            string message = $"model output is not finite for {images[i].Path}";
            if (imageWriters![i] is { } imageWriter) imageWriter.Fail(message);
            else writer.AddFailedImage(images[i].Path, message);
            imageFailed?.Invoke(images[i].Path, message);
            failed[i] = true;
        }

        foreach (AttributionMethod method in methods)
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
                if (imageWriters is null)
                {
                    imageWriters = AddImages(images, writer, explanation.Scores);
                    for (int i = 0; i < images.Count; i++) if (imageWriters[i] is null) Fail(i);
                }
                for (int i = 0; i < images.Count; i++)
                {
                    if (failed[i]) continue;
                    Heatmap heatmap = explanation.SourceHeatmap(i, images[i].Geometry);
                    Heatmap? raw = explanation.RawMaps.Count == 1 ? explanation.RawMap(i) : null;
                    // NaN or infinite gradients normalise to NaN; report the image instead of writing a meaningless map.
                    if (!InUnitRange(heatmap.Values) || (raw is not null && !raw.Values.All(float.IsFinite)))
                    {
                        Fail(i);
                        continue;
                    }
                    InputAttribution? attribution = Attribution(explanation, method, i);
                    if (attribution is not null && !attribution.Values.All(float.IsFinite))
                    {
                        Fail(i);
                        continue;
                    }
                    int target = explanation.Targets[i];
                    imageWriters[i]!.Add(method.Name, target, model.LabelOf(target), method.UsesLayers ? layers : [], heatmap, raw, milliseconds, attribution);
                }
            }
        }
        return failed.Count(f => f);
    }

    /// <summary>Image <paramref name="index"/>'s attribution in the input tensor space, with its figures, for pixel methods; null for CAMs.</summary>
    private InputAttribution? Attribution(Explanation explanation, AttributionMethod method, int index)
    {
        if (explanation.Attributions is not { } all) return null;
        using var scope = NewDisposeScope();
        Tensor one = all[index].to(ScalarType.Float32).contiguous();
        var (channels, height, width) = ((int)one.shape[0], (int)one.shape[1], (int)one.shape[2]);
        float[] values = one.data<float>().ToArray();
        RgbImage? gradient = method.Needs.HasFlag(MethodNeeds.InputGradients) && channels is 1 or 3
            ? GradientPicture.Render(values, channels, height, width, reversed: model.Input.Channels == ChannelOrder.BGR)
            : null;
        return new InputAttribution(values, channels, height, width, gradient,
            explanation.Figures.ToDictionary(f => f.Key, f => f.Value[index]));
    }

    private static bool InUnitRange(float[] values)
    {
        foreach (float v in values) if (!(v >= 0f && v <= 1f)) return false;
        return true;
    }

    /// <summary>
    /// Records the images with their best classes from the scores of an explanation's forward pass; an image whose
    /// scores are not all finite is not registered (null).
    /// </summary>
    private ImageExplanationWriter?[] AddImages(List<PreparedImage> images, ExplanationWriter writer, Tensor scores)
    {
        using var scope = NewDisposeScope();
        bool[] finite = isfinite(scores.to(ScalarType.Float32)).all(1).data<bool>().ToArray();
        var ranked = ClassRanking.FromScores(scores, ReportedPredictions, model.Labels);
        return images.Select((image, i) => finite[i]
            ? writer.AddImage(image.Path, image.Shown, ranked[i]
                .Select(c => new Prediction { Index = c.Index, Label = model.LabelOf(c.Index), Probability = c.Probability, Logit = c.Logit })
                .ToList(), (image.Width, image.Height))
            : null).ToArray();
    }

    /// <summary>Frees the explainer's sessions.</summary>
    public void Dispose() => explainer.Dispose();
}
