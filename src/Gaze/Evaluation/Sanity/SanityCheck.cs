using Gaze.Attribution;
using Gaze.Imaging;
using Gaze.Models;
using Gaze.Onnx;
using static TorchSharp.torch;

namespace Gaze.Evaluation.Sanity;

/// <summary>
/// The model-parameter randomisation test of Adebayo et al. ("Sanity Checks for Saliency Maps", NeurIPS 2018): a
/// method whose maps stay the same when the model's learned weights are replaced by random ones cannot be explaining
/// what the model learned. Each method explains a few images for the original model's predicted classes; then the
/// weighted layers (<see cref="WeightedLayers"/>) are re-initialised (<see cref="ParameterRandomisation"/>) cumulatively
/// from the output backwards (cascading) and one at a time (independent), and the maps on each randomised copy are
/// compared with the originals (<see cref="MapSimilarity"/>), averaged over the images.
/// </summary>
public sealed class SanityCheck
{
    private readonly LoadedModel model;
    private readonly IReadOnlyList<string> layers;

    /// <summary>Prepares the test on <paramref name="model"/>.</summary>
    /// <param name="model">The trained model; its file and its graph are never changed.</param>
    /// <param name="layers">The target layers of CAM methods (tensor names), as <see cref="LoadedModel.ResolveLayers"/> gives them.</param>
    /// <param name="seed">Seeds the random weights (the same seed gives the same weights).</param>
    /// <exception cref="Errors.ModelFormatException">The model has no Conv, Gemm or MatMul layer with stored weights.</exception>
    public SanityCheck(LoadedModel model, IReadOnlyList<string> layers, int seed = 0)
    {
        this.model = model;
        this.layers = layers;
        Seed = seed;
        WeightedLayers = Sanity.WeightedLayers.Of(model.Graph);
        if (WeightedLayers.Count == 0)
            throw new Errors.ModelFormatException(model.Path, "has no Conv, Gemm or MatMul layer with stored weights to randomise");
    }

    /// <summary>The layers the test randomises, nearest the output first.</summary>
    public IReadOnlyList<WeightedLayer> WeightedLayers { get; }

    /// <summary>The seed of the random weights.</summary>
    public int Seed { get; }

    /// <summary>Images explained at once.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>
    /// Only what the verdict needs: the cascade up to <see cref="SanityResult.VerdictLayers"/> steps and no independent
    /// randomisation (a leaderboard's verdict column costs a few models instead of twice the layer count).
    /// </summary>
    public bool VerdictOnly { get; init; }

    /// <summary>The models <see cref="Run"/> explains with: the original, then one per cascade step and (unless <see cref="VerdictOnly"/>) one per layer.</summary>
    public int ModelCount => 1 + CascadeSteps + (VerdictOnly ? 0 : WeightedLayers.Count);

    private int CascadeSteps => VerdictOnly ? Math.Min(SanityResult.VerdictLayers, WeightedLayers.Count) : WeightedLayers.Count;

    /// <summary>Runs the test for each of <paramref name="methods"/> on <paramref name="images"/>.</summary>
    /// <param name="methods">The configured methods.</param>
    /// <param name="images">The images; each is explained for the original model's top class.</param>
    /// <param name="modelDone">Told after each of the <see cref="ModelCount"/> models.</param>
    /// <param name="cancellation">Checked before each model.</param>
    /// <returns>One result per method, in order.</returns>
    public IReadOnlyList<SanityResult> Run(IReadOnlyList<AttributionMethod> methods, IReadOnlyList<RgbImage> images,
        Action? modelDone = null, CancellationToken cancellation = default)
    {
        if (methods.Count == 0) throw new ArgumentException("no method to test", nameof(methods));
        if (images.Count == 0) throw new ArgumentException("no image to explain", nameof(images));
        var preprocessor = new ImagePreprocessor(model.Input);
        var batches = new List<(Tensor Input, int[] Targets)>();
        try
        {
            foreach (RgbImage[] chunk in images.Chunk(BatchSize))
            {
                using var scope = NewDisposeScope();
                Tensor input = preprocessor.Preprocess(chunk);
                using Tensor scores = model.Graph.Scores(input);
                int[] targets = scores.argmax(1).data<long>().ToArray().Select(t => (int)t).ToArray();
                batches.Add((input.MoveToOuterDisposeScope(), targets));
            }

            cancellation.ThrowIfCancellationRequested();
            Heatmap[][] original = Maps(model.Graph, methods, batches);
            modelDone?.Invoke();

            var cascade = methods.Select(_ => new List<SanityStep>()).ToArray();
            var independent = methods.Select(_ => new List<SanityStep>()).ToArray();
            for (int step = 1; step <= CascadeSteps; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                using (OnnxGraph randomised = ParameterRandomisation.Cascading(model.Graph, WeightedLayers, step, Seed))
                    Compare(original, Maps(randomised, methods, batches), WeightedLayers[step - 1].Name, cascade);
                modelDone?.Invoke();
            }
            foreach (WeightedLayer layer in VerdictOnly ? [] : WeightedLayers)
            {
                cancellation.ThrowIfCancellationRequested();
                using (OnnxGraph randomised = ParameterRandomisation.Independent(model.Graph, layer, Seed))
                    Compare(original, Maps(randomised, methods, batches), layer.Name, independent);
                modelDone?.Invoke();
            }
            return methods.Select((m, i) => new SanityResult(m.Name, cascade[i], independent[i])).ToArray();
        }
        finally
        {
            foreach (var (input, _) in batches) input.Dispose();
        }
    }

    private static void Compare(Heatmap[][] original, Heatmap[][] randomised, string layer, List<SanityStep>[] steps)
    {
        for (int m = 0; m < original.Length; m++)
        {
            var perImage = original[m].Select((map, i) => MapSimilarity.Between(map, randomised[m][i])).ToArray();
            steps[m].Add(SanityStep.Of(layer, MapSimilarity.Mean(perImage)));
        }
    }

    /// <summary>Per method, per image the raw map on <paramref name="graph"/> (see <see cref="RawMaps"/>).</summary>
    private Heatmap[][] Maps(OnnxGraph graph, IReadOnlyList<AttributionMethod> methods, List<(Tensor Input, int[] Targets)> batches)
    {
        // Default options: ONNX Runtime sessions are built from the graph's own (randomised) model, so they see its weights.
        var options = new AttributionOptions { InputLayout = model.Input.Layout, Input = model.Input };
        using var explainer = new Explainer(graph, layers, options);
        return methods.Select(method => batches.SelectMany(batch =>
        {
            using Explanation explanation = explainer.Explain(method, batch.Input, batch.Targets);
            return RawMaps(explanation);
        }).ToArray()).ToArray();
    }

    /// <summary>
    /// The maps compared: for pixel methods the signed attributions summed over channels, for the others (CAMs) the
    /// heatmaps.
    /// </summary>
    public static IReadOnlyList<Heatmap> RawMaps(Explanation explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        using var scope = NewDisposeScope();
        Tensor maps = explanation.Attributions is { } attributions ? attributions.sum([1]) : explanation.Heatmaps;
        return Enumerable.Range(0, (int)maps.shape[0]).Select(i => Heatmap.FromTensor(maps[i])).ToArray();
    }
}
