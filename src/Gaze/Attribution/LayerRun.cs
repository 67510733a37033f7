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
    private readonly GraphRun run;

    internal LayerRun(GraphRun run, IReadOnlyList<Tensor> activations, string? note)
    {
        this.run = run;
        Activations = activations;
        Note = note;
    }

    /// <summary>Each target layer's activations, in the order of the layers; differentiable when the pass recorded gradients.</summary>
    public IReadOnlyList<Tensor> Activations { get; }

    /// <summary>The pre-softmax scores [N, K] (see <see cref="GraphRun.Scores"/>).</summary>
    public Tensor Scores => run.Scores;

    /// <summary>How the pass was computed, for <c>--verbose</c> (which engine ran which part, and why), or null for a plain pass.</summary>
    public string? Note { get; }

    /// <summary>Frees the graph run's tensors.</summary>
    public void Dispose() => run.Dispose();
}
