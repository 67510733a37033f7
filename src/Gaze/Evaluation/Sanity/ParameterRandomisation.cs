using Gaze.Onnx;
using Gaze.Onnx.Proto;
using static TorchSharp.torch;

namespace Gaze.Evaluation.Sanity;

/// <summary>
/// Copies of a model with some weighted layers re-initialised, for the model-parameter randomisation test (Adebayo et
/// al., NeurIPS 2018). The copy is made from the engine's in-memory model, never from or to the file, and every
/// engine reads its weights from that copy: Gaze's own graph, and ONNX Runtime, whose sessions (perturbation scorers,
/// gradient prefixes) are built from <see cref="OnnxGraph"/>'s model.
/// </summary>
/// <remarks>
/// A layer's weights are drawn from the Kaiming-uniform distribution of He et al. ("Delving Deep into Rectifiers",
/// ICCV 2015): U(-b, b) with b = sqrt(6 / fan-in), which keeps the scale of the activations through ReLU layers; its
/// bias is set to zero (TensorFlow's default bias initialiser; Adebayo et al. drew the weights from a truncated
/// normal). Zero biases matter: with random biases (PyTorch's U(-1/sqrt(fan-in), 1/sqrt(fan-in)) was tried) the signal
/// of a deep randomised cascade shrinks until the biases alone decide every activation, the network ignores its input
/// and every map goes flat (measured on SqueezeNet from 16 randomised layers on); a ReLU network without biases is
/// positively homogeneous, so its maps keep depending on the input at any scale. Either way no trained information is
/// left in the layer.
/// The values are stored in the initializer's own element type, so a float16 model stays float16 (and Gaze computes
/// it in float32 as before). Each layer's random stream depends on the seed and the layer's name only, so a layer gets
/// the same weights in every cascade step and in its independent test.
/// </remarks>
public static class ParameterRandomisation
{
    /// <summary>
    /// The cascading randomisation: <paramref name="graph"/> with its first <paramref name="step"/> layers of
    /// <paramref name="layers"/> (ordered from the output, <see cref="WeightedLayers.Of"/>) re-initialised.
    /// </summary>
    /// <returns>A new graph the caller disposes.</returns>
    public static OnnxGraph Cascading(OnnxGraph graph, IReadOnlyList<WeightedLayer> layers, int step, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(step, layers.Count);
        return Randomise(graph, layers.Take(step), seed);
    }

    /// <summary>The independent randomisation: <paramref name="graph"/> with only <paramref name="layer"/> re-initialised.</summary>
    /// <returns>A new graph the caller disposes.</returns>
    public static OnnxGraph Independent(OnnxGraph graph, WeightedLayer layer, int seed) => Randomise(graph, [layer], seed);

    /// <summary><paramref name="graph"/> with each of <paramref name="layers"/> re-initialised; the original is unchanged.</summary>
    /// <returns>A new graph (same precision, same name in messages) the caller disposes.</returns>
    public static OnnxGraph Randomise(OnnxGraph graph, IEnumerable<WeightedLayer> layers, int seed)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ModelProto model = graph.Model.Clone();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < model.Graph.Initializer.Count; i++) positions[model.Graph.Initializer[i].Name] = i;
        foreach (WeightedLayer layer in layers)
        {
            var random = new Random(LayerSeed(seed, layer.Name));
            Replace(model, positions, layer.Weight, random, Bound(layer));
            if (layer.Bias is { } bias) Replace(model, positions, bias, random, 0);
        }
        return OnnxGraph.FromModel(model, graph.ModelPath, graph.Precision);
    }

    /// <summary>The half-width of the uniform distribution <paramref name="layer"/>'s weights are drawn from: sqrt(6 / fan-in).</summary>
    public static double Bound(WeightedLayer layer) => Math.Sqrt(6.0 / layer.FanIn);

    /// <summary>Replaces initializer <paramref name="name"/> by values from U(-bound, bound) (zeros for bound 0).</summary>
    private static void Replace(ModelProto model, Dictionary<string, int> positions, string name, Random random, double bound)
    {
        if (!positions.TryGetValue(name, out int index)) throw new ArgumentException($"'{name}' is not an initializer of the model");
        TensorProto old = model.Graph.Initializer[index];
        long[] dims = [.. old.Dims];
        long count = dims.Aggregate(1L, (a, b) => a * b);
        var values = new float[count];
        for (long i = 0; i < count; i++) values[i] = (float)((2 * random.NextDouble() - 1) * bound);
        using var scope = NewDisposeScope();
        TensorProto replaced = TensorProtoConverter.FromTensor(tensor(values).reshape(dims), old.Name, old.DataType);
        replaced.DocString = old.DocString;
        model.Graph.Initializer[index] = replaced;
    }

    /// <summary>A seed for one layer's stream from the run's seed and the layer's name (FNV-1a, stable across runs and platforms).</summary>
    private static int LayerSeed(int seed, string layer)
    {
        uint hash = 2166136261;
        foreach (char c in layer)
        {
            hash ^= c;
            hash = unchecked(hash * 16777619);
        }
        return unchecked((int)(hash ^ ((uint)seed * 2654435761u)) & int.MaxValue);
    }
}
