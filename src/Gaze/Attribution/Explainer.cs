using Gaze.Onnx;
using static TorchSharp.torch;

namespace Gaze.Attribution;

/// <summary>
/// Explains batches with any <see cref="AttributionMethod"/> on one model: inputs and targets in, an
/// <see cref="Explanation"/> out. The report run, the evaluation, the benchmark and library users all call this.
/// </summary>
public sealed class Explainer : IDisposable
{
    private readonly AttributionContext context;

    /// <summary>Creates an explainer for <paramref name="graph"/>.</summary>
    /// <param name="graph">The model.</param>
    /// <param name="layers">Target layers (tensor names) for methods that work on layers; several are averaged.</param>
    /// <param name="options">Smoothing, batching and scoring options; the input layout is the model's.</param>
    public Explainer(OnnxGraph graph, IReadOnlyList<string> layers, AttributionOptions? options = null)
    {
        context = new AttributionContext(graph, layers, options ?? AttributionOptions.Default);
    }

    /// <summary>The plumbing the methods run on.</summary>
    public AttributionContext Context => context;

    /// <summary>
    /// Explains <paramref name="input"/> (a preprocessed batch in the model's layout, as <c>ImagePreprocessor</c>
    /// makes it) with <paramref name="method"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The method needs target layers and the explainer has none.</exception>
    /// <exception cref="Errors.UnsuitableLayerException">A layer lacks what the method needs.</exception>
    public Explanation Explain(AttributionMethod method, Tensor input, TargetRequest targets)
    {
        if (method.UsesLayers && context.Layers.Count == 0)
            throw new ArgumentException($"{method.Name} needs at least one target layer", nameof(method));
        return method.Explain(context, context.ToChannelsFirst(input), targets);
    }

    /// <summary>Explains <paramref name="input"/> for one fixed class per image.</summary>
    public Explanation Explain(AttributionMethod method, Tensor input, IReadOnlyList<int> targets) =>
        Explain(method, input, TargetRequest.Classes(targets));

    /// <summary>Frees the context's sessions.</summary>
    public void Dispose() => context.Dispose();
}
