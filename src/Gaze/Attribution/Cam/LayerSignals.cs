using static TorchSharp.torch;

namespace Gaze.Attribution.Cam;

/// <summary>
/// What a CAM method sees of one target layer for a batch: the activations A [N,K,H,W], for gradient methods
/// G = dScore/dA of the same shape (score = the target class's pre-softmax output), and, for the methods that
/// need them, ways to score perturbed inputs or activations and the classifier head's weights.
/// </summary>
/// <param name="Activations">A, detached from the autograd graph.</param>
/// <param name="Gradients">G, or null for methods that need none.</param>
public sealed record LayerSignals(Tensor Activations, Tensor? Gradients)
{
    /// <summary>The target class of each image.</summary>
    public IReadOnlyList<int> Targets { get; init; } = [];

    /// <summary>Scores of modified inputs (Score-CAM).</summary>
    public InputScoring? InputScoring { get; init; }

    /// <summary>Scores of modified activations of this layer (Ablation-CAM).</summary>
    public LayerScoring? LayerScoring { get; init; }

    /// <summary>The classifier head's weights W [classes,K] acting on this layer's pooled activations (CAM).</summary>
    public Tensor? ClassifierWeights { get; init; }

    /// <summary>The input scoring, for methods that cannot work without it.</summary>
    public InputScoring RequireInputScoring() =>
        InputScoring ?? throw new InvalidOperationException("this CAM method needs to score modified inputs");

    /// <summary>The layer scoring, for methods that cannot work without it.</summary>
    public LayerScoring RequireLayerScoring() =>
        LayerScoring ?? throw new InvalidOperationException("this CAM method needs to score modified activations");

    /// <summary>The classifier weights, for methods that cannot work without them.</summary>
    public Tensor RequireClassifierWeights() =>
        ClassifierWeights ?? throw new InvalidOperationException("this CAM method needs the classifier head's weights");

    /// <summary>G, for methods that cannot work without it.</summary>
    public Tensor RequireGradients() =>
        Gradients ?? throw new InvalidOperationException("this CAM method needs the gradients of the target layer");
}
