using Gaze.Onnx;
using static TorchSharp.torch;

namespace Gaze.Attribution;

/// <summary>
/// One forward pass of the network as layer methods see it (see <see cref="LayerRuns"/>): the target layers'
/// activations and the scores, with the autograd graph between them when gradients were asked for. Disposing it
/// frees what the graph run created.
/// </summary>
internal sealed class LayerRun : IDisposable
{
    private readonly GraphRun? run;
    private readonly Func<IReadOnlyList<int>, Tensor>? targetScores;

    internal LayerRun(GraphRun run, IReadOnlyList<Tensor> activations, string? note)
    {
        this.run = run;
        Scores = run.Scores;
        Activations = activations;
        Note = note;
    }

    /// <summary>
    /// A pass whose scores came from elsewhere (ONNX Runtime) and whose target scores are computed from the
    /// activations by <paramref name="targetScores"/> (see <see cref="ConvolutionalHead"/>).
    /// </summary>
    internal LayerRun(Tensor scores, IReadOnlyList<Tensor> activations, Func<IReadOnlyList<int>, Tensor> targetScores, string note)
    {
        Scores = scores;
        Activations = activations;
        this.targetScores = targetScores;
        Note = note;
    }

    /// <summary>Each target layer's activations, in the order of the layers; differentiable when the pass recorded gradients.</summary>
    public IReadOnlyList<Tensor> Activations { get; }

    /// <summary>The pre-softmax scores [N, K] (see <see cref="GraphRun.Scores"/>).</summary>
    public Tensor Scores { get; }

    /// <summary>Each image's score for its target [N], differentiable with respect to <see cref="Activations"/> when the pass recorded gradients.</summary>
    public Tensor TargetScores(IReadOnlyList<int> targets) =>
        targetScores?.Invoke(targets) ?? Scores.gather(1, tensor(targets.Select(t => (long)t).ToArray()).unsqueeze(1)).squeeze(1);

    /// <summary>How the pass was computed, for <c>--verbose</c> (which engine ran which part, and why), or null for a plain pass.</summary>
    public string? Note { get; }

    /// <summary>Frees the graph run's tensors.</summary>
    public void Dispose() => run?.Dispose();
}
