using Gaze.Errors;
using static TorchSharp.torch;

namespace Gaze.Onnx;

/// <summary>
/// The result of running an <see cref="OnnxGraph"/>: its outputs, the pre-softmax scores, captured tensors and
/// (with <see cref="RunOptions.KeepAll"/>) every intermediate tensor for <see cref="OnnxGraph.Rerun"/>.
/// The tensors belong to the caller's dispose scope (if any); <see cref="Dispose"/> frees them explicitly.
/// </summary>
public sealed class GraphRun : IDisposable
{
    private readonly OnnxGraph graph;
    private readonly List<Tensor> owned;

    internal GraphRun(OnnxGraph graph, Tensor?[]? values, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor> outputs,
        Tensor scores, IReadOnlyDictionary<string, Tensor> captured, int executedNodeCount, List<Tensor> owned)
    {
        this.graph = graph;
        Values = values;
        Inputs = inputs;
        Outputs = outputs;
        Scores = scores;
        Captured = captured;
        ExecutedNodeCount = executedNodeCount;
        this.owned = owned;
    }

    /// <summary>The graph's outputs in declaration order.</summary>
    public IReadOnlyList<Tensor> Outputs { get; }

    /// <summary>The first output.</summary>
    public Tensor Output => Outputs[0];

    /// <summary>
    /// Pre-softmax class scores as [N, K]: the input of a final Softmax when the graph ends in one, otherwise the
    /// first output, flattened per sample.
    /// </summary>
    public Tensor Scores { get; }

    /// <summary>The inputs as the graph saw them; with <see cref="RunOptions.InputGradient"/>, the leaves to differentiate by.</summary>
    public IReadOnlyList<Tensor> Inputs { get; }

    /// <summary>The tensors named in <see cref="RunOptions.Capture"/>, by name.</summary>
    public IReadOnlyDictionary<string, Tensor> Captured { get; }

    /// <summary>How many nodes this run executed (fewer than the graph has for a partial <see cref="OnnxGraph.Rerun"/>).</summary>
    public int ExecutedNodeCount { get; }

    internal Tensor?[]? Values { get; }

    /// <summary>A score tensor as [N, K]: [N, K, 1, 1] and other shapes flattened per sample, a scalar as [1, 1].</summary>
    internal static Tensor AsScores(Tensor source) => source.dim() switch
    {
        2 => source,
        0 => source.reshape(1, 1),
        _ => source.reshape(source.shape[0], -1),
    };

    internal OnnxGraph Graph => graph;

    /// <summary>A captured tensor, or with <see cref="RunOptions.KeepAll"/> any tensor of the run, by name.</summary>
    /// <exception cref="UnknownLayerException">The graph has no tensor of that name.</exception>
    /// <exception cref="InvalidOperationException">The tensor exists but this run did not keep it.</exception>
    public Tensor this[string name]
    {
        get
        {
            if (Captured.TryGetValue(name, out var t)) return t;
            int slot = graph.SlotOf(name);
            return Values?[slot] ?? throw new InvalidOperationException($"tensor '{name}' was not captured in this run");
        }
    }

    /// <summary>
    /// Takes the run's tensors out of the current dispose scope, so the run lives until <see cref="Dispose"/> (for
    /// runs kept across many scoped steps, such as the base of repeated <see cref="OnnxGraph.Rerun"/> calls).
    /// </summary>
    internal GraphRun DetachFromDisposeScope()
    {
        foreach (var t in owned) t.DetachFromDisposeScope();
        return this;
    }

    /// <summary>Frees the tensors this run created.</summary>
    public void Dispose()
    {
        foreach (var t in owned) t.Dispose();
        owned.Clear();
    }
}
